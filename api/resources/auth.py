"""Sign up, sign in, refresh (with rotation) and sign out."""

from flask import current_app, jsonify, request
from flask.views import MethodView
from flask_jwt_extended import get_jwt, jwt_required, set_refresh_cookies, unset_jwt_cookies

from api.extensions import Blueprint, db, limiter
from api.schemas.user import LoginSchema, RegisterSchema, TokenSchema, UserSchema
from api.services import accounts, tokens
from api.services.errors import Unauthorized
from api.services.tokens import RefreshTokenReused

blp = Blueprint("auth", __name__, url_prefix="/api/v1/auth", description="Accounts and tokens")


def _login_email() -> str:
    body = request.get_json(silent=True)
    email = body.get("email") if isinstance(body, dict) else None
    return "login:" + (email.strip().lower() if isinstance(email, str) else "")


def _token_response(token_pair: dict, as_cookie: bool, status: int = 200):
    body = {k: v for k, v in token_pair.items() if not (as_cookie and k == "refresh_token")}
    body["token_type"] = "Bearer"
    response = jsonify(TokenSchema().dump(body))
    response.status_code = status
    if as_cookie:
        set_refresh_cookies(response, token_pair["refresh_token"])
    return response


@blp.route("/register")
class Register(MethodView):
    decorators = [limiter.limit(lambda: current_app.config["REGISTER_RATE_LIMIT"])]

    @blp.arguments(RegisterSchema)
    @blp.response(201, UserSchema)
    @blp.errors(409, 429)
    def post(self, data):
        """Create a resident account"""
        user = accounts.register(**data)
        db.session.commit()
        return user


@blp.route("/login")
class Login(MethodView):
    decorators = [
        limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"]),
        limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], key_func=_login_email),
    ]

    @blp.arguments(LoginSchema)
    @blp.response(200, TokenSchema)
    @blp.errors(401, 429)
    def post(self, data):
        """Sign in and receive an access and a refresh token

        The access token lasts 15 minutes. Browser apps pass `session_cookie: true` to receive the
        refresh token as an HttpOnly cookie instead of in the body.
        """
        _user, token_pair = accounts.login(data["email"], data["password"])
        db.session.commit()
        return _token_response(token_pair, data["session_cookie"])


@blp.route("/refresh")
class Refresh(MethodView):
    @blp.response(200, TokenSchema)
    @blp.errors(401)
    @blp.doc(security=[{"bearerAuth": []}])
    @jwt_required(refresh=True)
    def post(self):
        """Trade a refresh token for a new pair (the old refresh token stops working)

        Send the refresh token as `Authorization: Bearer <refresh_token>`, or let the browser send
        its cookie together with the `X-CSRF-TOKEN` header. Presenting a refresh token that was
        already used ends that whole sign-in.
        """
        claims = get_jwt()
        try:
            _user, token_pair = tokens.rotate(claims)
        except RefreshTokenReused:
            db.session.commit()  # keep the revocation, then refuse
            raise
        db.session.commit()
        return _token_response(token_pair, as_cookie=request.cookies.get("refresh_token_cookie") is not None)


@blp.route("/logout")
class Logout(MethodView):
    @blp.response(204)
    @blp.errors(401)
    @blp.doc(security=[{"bearerAuth": []}])
    @jwt_required(verify_type=False)
    def post(self):
        """Sign out: the access and refresh tokens of this sign-in stop working everywhere"""
        sid = get_jwt().get("sid")
        if sid is None:
            raise Unauthorized("The token is not valid.")
        tokens.revoke_session_by_id(sid, reason="logout")
        db.session.commit()
        response = current_app.response_class(status=204)
        unset_jwt_cookies(response)
        return response
