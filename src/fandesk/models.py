"""Imports every domain's tables so metadata (and Alembic) sees them all."""

from fandesk.auth.models import AuditEvent, AuditEventAccount, SignInCounter, WebSession
from fandesk.content.models import Comment, DmConversation, DmMessage, Mention, Note
from fandesk.crisis.models import Crisis, CrisisEvidence, ThreadFlag
from fandesk.desk.models import (
    ItemPresence,
    PersonNote,
    PersonTag,
    QueueRevision,
)
from fandesk.inbox.models import BusinessHours, InboxItem, Label, PlatformAction, TriageAction, TriageRules
from fandesk.ingest.models import ImportRun
from fandesk.metrics.models import RoiAssumption
from fandesk.moderation.models import ModerationAction
from fandesk.people.models import (
    CustomFieldDefinition,
    Interaction,
    NicknameChange,
    Person,
    PersonField,
    Purchase,
    Referral,
    SurveyAnswer,
)
from fandesk.replies.models import ApprovalRules, Reply, ReplyTemplate, ReplyWork
from fandesk.team.models import AccountMember, Member
from fandesk.workspace.models import Account, Cost, OutOfOffice, WorkspaceMeta

__all__ = [
    "ApprovalRules",
    "AuditEvent",
    "AuditEventAccount",
    "ItemPresence",
    "QueueRevision",
    "SignInCounter",
    "WebSession",
    "ModerationAction",
    "PersonNote",
    "PersonTag",
    "Reply",
    "ReplyTemplate",
    "ReplyWork",
    "RoiAssumption",
    "Account",
    "WorkspaceMeta",
    "AccountMember",
    "BusinessHours",
    "Comment",
    "Cost",
    "Crisis",
    "CustomFieldDefinition",
    "CrisisEvidence",
    "DmConversation",
    "DmMessage",
    "ImportRun",
    "InboxItem",
    "Interaction",
    "Label",
    "Member",
    "Mention",
    "NicknameChange",
    "OutOfOffice",
    "Note",
    "Person",
    "PersonField",
    "PlatformAction",
    "Purchase",
    "Referral",
    "SurveyAnswer",
    "ThreadFlag",
    "TriageAction",
    "TriageRules",
]
