from seedbed.accounts.auth import MEMBER, VISITOR, TokenAuth, optional_member, token_auth

__all__ = ["MEMBER", "VISITOR", "TokenAuth", "optional_member", "token_auth"]
