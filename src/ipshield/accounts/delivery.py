"""Sending stored notices by e-mail and SMS (run by the worker, see ``accounts.tasks``).

Each notice is sent at most once per channel (``emailed_at``, ``texted_at``); a failing mail
server or gateway is logged and the notice stays in the app, where it was shown from the start.
Messages are written in the site's default language (people have no language of their own yet).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import EmailMessage, send_mail
from django.utils import timezone, translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from ipshield.accounts import sms
from ipshield.accounts.models import Notification, NotificationSettings
from ipshield.accounts.notices import ATTACHMENTS, MASK, SECRET_PARAMS, URGENT_KINDS, render

logger = logging.getLogger("ipshield.notices")


def preferences(user_ids: Iterable[int]) -> dict[int, NotificationSettings]:
    """Each person's settings, the defaults for those who never chose."""
    found = {s.user_id: s for s in NotificationSettings.objects.filter(user_id__in=user_ids)}
    return {uid: found.get(uid) or NotificationSettings(user_id=uid) for uid in user_ids}


def _text(notice: Notification, *, reveal: bool = False) -> str:
    return render(notice.kind, notice.params, fallback=notice.message, reveal=reveal)


def _url(link: str) -> str:
    return f"{settings.IPSHIELD_BASE_URL}{link}" if link.startswith("/") else link


def _attachment(notice: Notification) -> tuple[str, bytes, str] | None:
    """The file a kind's e-mail carries (``notices.ATTACHMENTS``); None when there is none or
    it cannot be made any more (the notice still goes, with its link)."""
    path = ATTACHMENTS.get(notice.kind)
    if not path:
        return None
    try:
        return import_string(path)(notice.params)
    except Exception:
        logger.exception("no attachment for notice %s", notice.pk)
        return None


def _email(notice: Notification, text: str) -> None:
    body = f"{text}\n\n{_url(notice.link)}" if notice.link else text
    message = EmailMessage(text[:80], body, None, [notice.user.email])
    attachment = _attachment(notice)
    if attachment is not None:
        message.attach(*attachment)
    message.send()


def _scrub(notice: Notification) -> None:
    """Forget the secret parameters once sent: the stored notice keeps only the mask."""
    if SECRET_PARAMS & set(notice.params or {}):
        notice.params = {k: (MASK if k in SECRET_PARAMS else v) for k, v in notice.params.items()}
        notice.save(update_fields=["params"])


def deliver(ids: Iterable[int]) -> int:
    notices = list(
        Notification.objects.filter(pk__in=list(ids)).select_related("user", "user__profile")
    )
    prefs = preferences({n.user_id for n in notices})
    gateway = sms.backend()
    sent = 0
    with translation.override(settings.LANGUAGE_CODE):
        for notice in notices:
            pref = prefs[notice.user_id]
            urgent = notice.kind in URGENT_KINDS
            text = _text(notice, reveal=True)
            delivered = False
            if (
                settings.EMAIL_ENABLED
                and (urgent or (pref.email and not pref.digest))
                and notice.user.email
                and notice.emailed_at is None
            ):
                try:
                    _email(notice, text)
                except Exception:  # any mail failure: keep the notice, log, go on
                    logger.exception("could not e-mail notice %s", notice.pk)
                else:
                    notice.emailed_at = timezone.now()
                    notice.save(update_fields=["emailed_at"])
                    sent += 1
                    delivered = True
            phone = getattr(getattr(notice.user, "profile", None), "phone", "")
            if gateway and (urgent or pref.sms) and phone and notice.texted_at is None:
                try:
                    gateway.send(to=phone, text=_("【知保】") + text)
                except sms.SmsError:
                    logger.exception("could not text notice %s", notice.pk)
                else:
                    notice.texted_at = timezone.now()
                    notice.save(update_fields=["texted_at"])
                    sent += 1
                    delivered = True
            if delivered:
                _scrub(notice)
    return sent


def send_digests(*, now=None) -> int:
    """One e-mail per person with the digest chosen and unread notices since the last one."""
    if not settings.EMAIL_ENABLED:
        return 0
    now = now or timezone.now()
    sent = 0
    with translation.override(settings.LANGUAGE_CODE):
        for pref in NotificationSettings.objects.filter(digest=True, email=True).select_related(
            "user"
        ):
            user = pref.user
            if not (user.is_active and user.email):
                continue
            unread = Notification.objects.filter(user=user, read_at__isnull=True)
            if pref.digest_sent_at is not None:
                unread = unread.filter(created_at__gt=pref.digest_sent_at)
            notices = list(unread.order_by("created_at", "id")[:200])
            if not notices:
                continue
            lines = [f"· {_text(n)}  {_url(n.link)}".rstrip() for n in notices]
            subject = _("知保：您有 %(n)d 条未读通知") % {"n": len(notices)}
            try:
                send_mail(subject, "\n".join(lines), None, [user.email])
            except Exception:
                logger.exception("could not send the digest to user %s", user.pk)
                continue
            pref.digest_sent_at = now
            pref.save(update_fields=["digest_sent_at"])
            sent += 1
    return sent
