import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from seedbed.engine.competition import leaderboard

NAN = math.nan


def test_a_harsh_and_a_lenient_judge_who_rank_alike_give_the_same_z_scores():
    harsh = [[2], [3], [4]]
    lenient = [[7], [8], [9]]
    board = leaderboard([harsh, lenient], [1.0])
    assert np.allclose(board.z[0], board.z[1])
    assert np.allclose(board.z[0], [-math.sqrt(1.5), 0.0, math.sqrt(1.5)])
    assert list(board.order) == [2, 1, 0]


def test_two_judges_and_three_entries_match_the_hand_computation():
    # weights 2:1, so a weighted score is (2 * first + second) / 3
    judge_a = [[9, 6], [6, 9], [3, 3]]  # weighted 8, 7, 3: mean 6, sd sqrt(14/3)
    judge_b = [[5, 5], [8, 5], [6, 3]]  # weighted 5, 7, 5: mean 17/3, sd 2*sqrt(2)/3
    board = leaderboard([judge_a, judge_b], [2, 1])
    z_a = np.array([2, 1, -3]) / math.sqrt(14 / 3)
    z_b = np.array([-1, 2, -1]) / math.sqrt(2)
    assert np.allclose(board.weighted, [[8, 7, 3], [5, 7, 5]])
    assert np.allclose(board.z, [z_a, z_b])
    assert np.allclose(board.mean_z, (z_a + z_b) / 2)
    assert np.allclose(board.mean_z, [0.10935, 0.93856, -1.04791], atol=1e-5)
    assert np.allclose(board.raw_mean, [6.5, 7.0, 4.0])
    assert list(board.n_judges) == [2, 2, 2]
    assert list(board.order) == [1, 0, 2]
    assert list(board.rank) == [2, 1, 3]
    assert not board.tied.any()


def test_conflicted_entries_are_left_out_of_that_judges_z_scores():
    judge_a = [[8], [7], [NAN]]  # conflicted with the third entry
    judge_b = [[5], [7], [5]]
    board = leaderboard([judge_a, judge_b], [1])
    assert np.allclose(board.z[0, :2], [1, -1])
    assert math.isnan(board.z[0, 2])
    assert list(board.n_judges) == [2, 2, 1]
    assert board.raw_mean[2] == 5


def test_normalising_beats_raw_scores_when_judges_see_different_entries():
    lenient = [[10], [9], [NAN], [NAN]]
    harsh = [[NAN], [NAN], [4], [2]]
    board = leaderboard([lenient, harsh], [1])
    assert list(board.raw_mean) == [10, 9, 4, 2]
    assert list(board.mean_z) == [1, -1, 1, -1]
    # the harsh judge's favourite ties with the lenient judge's; the earlier entry goes first
    assert list(board.order) == [0, 2, 1, 3]
    assert list(board.tied) == [False, False, True, True]


def test_ties_go_to_the_entry_with_more_judges_then_to_the_earlier_entry():
    one = [[6], [NAN], [6], [4], [4]]
    two = [[NAN], [6], [6], [4], [4]]
    board = leaderboard([one, two], [1])
    assert list(board.mean_z) == [1, 1, 1, -1, -1]
    assert list(board.n_judges) == [1, 1, 2, 2, 2]
    assert list(board.order) == [2, 0, 1, 3, 4]
    assert list(board.tied) == [True, True, False, False, True]


def test_a_judge_with_one_entry_or_all_equal_scores_counts_with_z_zero():
    single = [[9], [NAN], [NAN]]
    flat = [[5], [5], [5]]
    spread = [[3], [6], [9]]
    board = leaderboard([single, flat, spread], [1])
    assert board.z[0, 0] == 0 and np.isnan(board.z[0, 1:]).all()
    assert list(board.z[1]) == [0, 0, 0]
    assert list(board.n_judges) == [3, 2, 2]
    z = math.sqrt(1.5)
    assert np.allclose(board.mean_z, [-z / 3, 0, z / 2])
    assert list(board.order) == [2, 1, 0]


def test_a_partly_scored_entry_does_not_count_for_that_judge():
    judge = [[7, 7], [5, NAN], [3, 3]]
    board = leaderboard([judge], [1, 1])
    assert math.isnan(board.weighted[0, 1])
    assert list(board.n_judges) == [1, 0, 1]


def test_entries_nobody_scored_rank_last_with_no_score():
    board = leaderboard([[[NAN], [4], [NAN], [8]]], [1])
    assert list(board.order) == [3, 1, 0, 2]
    assert math.isnan(board.mean_z[0]) and math.isnan(board.raw_mean[2])
    assert not board.tied[2]


def test_empty_competitions_give_an_empty_or_unscored_board():
    assert len(leaderboard(np.zeros((0, 0, 2)), [1, 1])) == 0
    no_judges = leaderboard(np.zeros((0, 3, 1)), [1])
    assert list(no_judges.order) == [0, 1, 2] and list(no_judges.n_judges) == [0, 0, 0]
    no_criteria = leaderboard(np.zeros((2, 2, 0)), [])
    assert list(no_criteria.n_judges) == [0, 0]


@pytest.mark.parametrize(
    ("scores", "weights"),
    [
        (np.ones((2, 2)), [1]),
        (np.ones((1, 2, 2)), [1]),
        (np.ones((1, 2, 1)), [0]),
        (np.ones((1, 2, 1)), [-1]),
        (np.ones((1, 2, 1)), [NAN]),
        (np.full((1, 2, 1), np.inf), [1]),
    ],
)
def test_malformed_input_is_refused(scores, weights):
    with pytest.raises(ValueError):
        leaderboard(scores, weights)


score_cube = hnp.arrays(
    float,
    hnp.array_shapes(min_dims=3, max_dims=3, min_side=1, max_side=6),
    elements=st.one_of(st.integers(1, 10).map(float), st.just(NAN)),
)


@settings(max_examples=300, deadline=None)
@given(
    scores=score_cube,
    data=st.data(),
    shift=st.floats(-50, 50, allow_nan=False),
    factor=st.floats(0.1, 10, allow_nan=False),
)
@pytest.mark.slow
def test_shifting_or_stretching_one_judges_scores_never_changes_the_ranking(
    scores, data, shift, factor
):
    n_judges, _, n_criteria = scores.shape
    weights = data.draw(
        st.lists(st.integers(1, 5).map(float), min_size=n_criteria, max_size=n_criteria)
    )
    judge = data.draw(st.integers(0, n_judges - 1))
    before = leaderboard(scores, weights)
    shifted = scores.copy()
    shifted[judge] += shift
    stretched = scores.copy()
    stretched[judge] *= factor
    assert list(leaderboard(shifted, weights).order) == list(before.order)
    assert list(leaderboard(stretched, weights).order) == list(before.order)
    assert np.allclose(leaderboard(stretched, weights).mean_z, before.mean_z, equal_nan=True)
