"""Time-based one-time passwords (RFC 6238) for the second sign-in factor."""

from __future__ import annotations

import hmac
import time

import pyotp
import segno
from django.conf import settings

# Accept the code of the previous and next 30-second step too, for clocks a little off.
VALID_WINDOW = 1


def new_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(*, secret: str, username: str) -> str:
    issuer = str(settings.PLATFORM_NAME)
    return pyotp.TOTP(secret).provisioning_uri(name=username, issuer_name=issuer)


def qr_svg(uri: str) -> str:
    """The otpauth:// URI as an inline SVG QR code (no script, no external image), sized by
    its container (a viewBox and no fixed size) so that it fits a phone's screen."""
    return segno.make(uri, error="m").svg_inline(dark="#000", light="#fff", omitsize=True)


def matching_step(*, secret: str, code: str, after: int | None = None) -> int | None:
    """The time step whose code matches, or None; steps at or before `after` are refused.

    Refusing steps already used stops a code that was seen over a shoulder from being
    replayed within its window.
    """
    code = "".join(code.split())
    if not secret or len(code) != 6 or not code.isdigit():
        return None
    totp = pyotp.TOTP(secret)
    current = totp.timecode(time.time())
    for step in range(current - VALID_WINDOW, current + VALID_WINDOW + 1):
        if after is not None and step <= after:
            continue
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None
