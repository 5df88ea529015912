"""Moving an SMS row forward on what Twilio reports, never back: written once for callbacks and status refreshes.

Twilio sends status callbacks in no guaranteed order and may repeat them. Each status has a rank on the way from
`pending` to `read`; a report only applies to a row whose current status ranks lower, and the check and the write
are one conditional UPDATE, so two reports racing each other cannot move a message backwards either.
"""

from __future__ import annotations

from typing import Any

from django.db.models import F, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from .models import SMS

RANK = {
    "pending": 0,
    "accepted": 1, "scheduled": 1,
    "queued": 2,
    "sending": 3,
    "sent": 4,
    "delivered": 5, "undelivered": 5, "failed": 5, "canceled": 5, "partially_delivered": 5,
    "read": 6,
}  # fmt: skip
ERROR_STATUSES = frozenset({"failed", "undelivered"})


def apply_status(external_id: str, status: str, error_code: object = None, error_message: object = None) -> bool:
    """Move the row with this SID to `status` if that is further along; True when a row changed."""
    rank = RANK.get(status)
    if not external_id or rank is None:
        return False
    now = timezone.now()
    changes: dict[str, Any] = {"status": status, "modified_at": now}
    if rank >= RANK["sent"]:
        changes["sent_at"] = Coalesce(F("sent_at"), Value(now))
    if status == "delivered":
        changes["delivered_at"] = now
    if status == "read":
        changes["read_at"] = now
        changes["delivered_at"] = Coalesce(F("delivered_at"), Value(now))
    if status in ERROR_STATUSES:
        changes["error_code"] = "" if error_code in (None, "") else str(error_code)[:32]
        changes["error_message"] = "" if error_message is None else str(error_message)
    lower = [name for name, value in RANK.items() if value < rank]
    return bool(SMS.objects.filter(external_id=external_id, status__in=lower).update(**changes))
