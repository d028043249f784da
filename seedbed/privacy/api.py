"""The privacy routes live under /api/v1/me, beside the member's other routes: they are added
to the accounts app's ``me_router`` (one path, ``/me``, can only have one router) and this
app's own ``router`` stays for anything outside /me."""

from typing import Any

from ninja import Field, Router, Status

from seedbed.accounts.api import me_router
from seedbed.core.api import Input
from seedbed.core.requests import ApiRequest
from seedbed.privacy import erasure
from seedbed.privacy.export import export_member_data

router = Router(tags=["privacy"])


class DeleteMeIn(Input):
    password: str = Field(..., min_length=1, max_length=256)
    keep_content: bool = Field(
        ...,
        description="true: keep your posts and replies under “Deleted member”; false: remove "
        "them (others' replies under your posts stay).",
    )


@me_router.get("/export", response=dict[str, Any])
def export_me(request: ApiRequest):
    """Everything you have given Seedbed, as JSON (a few times an hour at most)."""
    return export_member_data(request.auth)


@me_router.delete("", response={204: None})
def delete_me(request: ApiRequest, payload: DeleteMeIn):
    """Delete your account for good. Refused (400) while you are the last owner of a
    community, and with a wrong password."""
    erasure.delete_own_account(
        request.auth, password=payload.password, keep_content=payload.keep_content
    )
    return Status(204, None)
