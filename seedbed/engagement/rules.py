"""How many points each action earns and how many of them a member may earn a day: the one
place to change them."""

from datetime import timedelta

from seedbed.engagement.models import Action

POINTS: dict[str, int] = {
    Action.REACTION: 1,
    Action.HELPFUL: 10,
    Action.ATTENDED: 10,
    Action.INTRO_MET: 20,
    Action.RESOURCE_RATED: 2,
}

#: The most points one member earns from each action in one day (the site's time zone).
#: Operators' awards have no cap.
DAILY_CAPS: dict[str, int] = {
    Action.REACTION: 20,
    Action.HELPFUL: 50,
    Action.ATTENDED: 30,
    Action.INTRO_MET: 60,
    Action.RESOURCE_RATED: 20,
}

#: Reactions and ratings from accounts younger than this earn nothing.
MIN_ACCOUNT_AGE = timedelta(days=1)

#: Actions whose counterpart (who reacted, who rated) must not be the member and must be old
#: enough; the same pair counts once a day for these.
FROM_SOMEONE_ELSE = (Action.REACTION, Action.RESOURCE_RATED, Action.HELPFUL)
ONCE_A_DAY_PER_PAIR = (Action.REACTION,)
