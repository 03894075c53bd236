"""Membership after admission (rule book §4): every command's rule, by one name.

The rules live in ``moves`` (transfers, mergers, mobile members), ``standing`` (lost
contact, suspension, rectification, party probation) and ``exits`` (the ways out, and
members admitted before the system).
"""

from member_lifecycle.domain.exits import import_membership, leave
from member_lifecycle.domain.moves import (
    accept_transfer,
    end_outflow,
    move_by_merger,
    postpone_conversion,
    record_outflow_contact,
    register_outflow,
    return_transfer,
    send_transfer,
)
from member_lifecycle.domain.standing import (
    conclude_rectification,
    order_rectification,
    record_party_probation,
    report_lost_contact,
    restore,
    suspend,
)

__all__ = [
    "accept_transfer",
    "conclude_rectification",
    "end_outflow",
    "import_membership",
    "leave",
    "move_by_merger",
    "order_rectification",
    "postpone_conversion",
    "record_outflow_contact",
    "record_party_probation",
    "register_outflow",
    "report_lost_contact",
    "restore",
    "return_transfer",
    "send_transfer",
    "suspend",
]
