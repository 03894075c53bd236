"""member-lifecycle's command handlers, one class: the composition root builds it with the
service's runtime and log; routes get it with ``Depends(handlers(MemberLifecycleHandlers))``.
"""

from __future__ import annotations

from member_lifecycle.commands.development import DevelopmentHandlers
from member_lifecycle.commands.exits import ExitHandlers
from member_lifecycle.commands.moves import MoveHandlers
from member_lifecycle.commands.organisations import OrganisationHandlers
from member_lifecycle.commands.people import PeopleHandlers
from member_lifecycle.commands.standing import StandingHandlers


class MemberLifecycleHandlers(
    DevelopmentHandlers,
    MoveHandlers,
    StandingHandlers,
    ExitHandlers,
    PeopleHandlers,
    OrganisationHandlers,
):
    """One handler per command (the commands are in the modules of this package)."""
