"""Operations that change shared data. Each runs in one transaction."""

from django.db import transaction
from django.utils.translation import gettext as _

from .models import AuditEvent


def record_audit_event(user, action, obj=None, detail=None, object_type=None):
    """Append one entry to the audit log. Every capability calls this for views and changes of
    personal data, so there is one trail to inspect."""
    authenticated = user is not None and getattr(user, "is_authenticated", False)
    return AuditEvent.objects.create(
        user=user if authenticated else None,
        username=user.get_username() if authenticated else "",
        action=action,
        object_type=object_type or (obj._meta.label if obj is not None else ""),
        object_id=str(obj.pk) if obj is not None and obj.pk is not None else "",
        object_repr=str(obj)[:200] if obj is not None else "",
        detail=detail or {},
    )


@transaction.atomic
def save_form_with_audit(user, form, **detail):
    """Save a valid model form and log who created or changed what (the changed fields)."""
    is_new = form.instance.pk is None
    obj = form.save()
    record_audit_event(
        user, AuditEvent.Action.CREATE if is_new else AuditEvent.Action.UPDATE, obj,
        detail={"fields": sorted(form.changed_data), **detail},
    )
    return obj


def save_organisation(user, form):
    """Create or update an organisation from a valid form."""
    return save_form_with_audit(user, form)


def has_confirmed_device(user):
    from django_otp import devices_for_user

    return any(True for _device in devices_for_user(user, confirmed=True))


def pending_totp_device(user):
    """The user's unconfirmed authenticator device, made on first visit to the set-up page."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name="app", confirmed=False)


@transaction.atomic
def confirm_totp_device(user, device, backup_code_count=10):
    """Confirm the authenticator app and issue fresh backup codes; returns the codes."""
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = issue_backup_codes(user, backup_code_count)
    record_audit_event(user, AuditEvent.Action.TWO_FACTOR, detail={"result": "device confirmed"})
    return codes


def issue_backup_codes(user, count=10, codes=None):
    """Replace the user's backup codes. Each code works once."""
    from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

    device, _created = StaticDevice.objects.get_or_create(user=user, name="backup")
    device.confirmed = True
    device.save()
    device.token_set.all().delete()
    if codes is None:
        codes = [StaticToken.random_token() for _i in range(count)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


def totp_secret_base32(device):
    from base64 import b32encode

    return b32encode(device.bin_key).decode()


def totp_qr_svg(device):
    """The device's provisioning URI as an inline SVG QR code (no external image service)."""
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage)
    return image.to_string(encoding="unicode")


def save_user(admin, form, formset):
    """Save a staff account with its organisation roles; the caller holds the transaction."""
    is_new = form.instance.pk is None
    account = form.save(commit=False)
    if is_new:
        account.set_unusable_password()
    account.save()
    formset.instance = account
    formset.save()
    record_audit_event(
        admin, AuditEvent.Action.CREATE if is_new else AuditEvent.Action.UPDATE, account,
        detail={
            "fields": sorted(form.changed_data),
            "roles": sorted(f"{m.organisation_id}:{m.role}" for m in account.memberships.all()),
        },
    )
    return account


def invite_user(request, account):
    """Mail a new staff member a link to choose a password (sent by the task worker)."""
    from django.contrib.auth.tokens import default_token_generator
    from django.template.loader import render_to_string
    from django.urls import reverse
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    from .tasks import send_email

    link = request.build_absolute_uri(reverse("core:password_reset_confirm", kwargs={
        "uidb64": urlsafe_base64_encode(force_bytes(account.pk)),
        "token": default_token_generator.make_token(account),
    }))
    body = render_to_string("core/email/invitation.txt", {"account": account, "link": link})
    send_email.enqueue(
        subject=str(_("Your Omzien account")), body=body, recipients=[account.email]
    )


def import_boundaries(user, file_or_path):
    """Import area boundaries from one GeoJSON file (path, upload or open file) or a list of
    them. All or nothing: with any problem nothing is stored and the result lists every one."""
    from . import queries
    from .importers.boundaries import read_boundaries, save_boundaries

    sources = file_or_path if isinstance(file_or_path, (list, tuple)) else [file_or_path]
    # Reading and checking the files needs no database, so it happens outside the transaction.
    batch = read_boundaries(sources)
    with transaction.atomic():
        result = save_boundaries(batch)
        if result.ok:
            record_audit_event(user, AuditEvent.Action.IMPORT, object_type="core.Area", detail={
                "what": "boundaries", "created": result.created, "updated": result.updated,
            })
            transaction.on_commit(queries.clear_area_geometry_cache)
    return result
