"""Imports every domain's tables so metadata (and Alembic) sees them all."""

from fandesk.audit.models import AuditEvent, AuditEventAccount, QueueRevision
from fandesk.content.models import Comment, DmConversation, DmMessage, Mention, Note
from fandesk.crisis.models import Crisis, CrisisEvidence, ThreadFlag
from fandesk.inbox.models import (
    InboxItem,
    ItemPresence,
    Label,
    PlatformAction,
    TriageAction,
    TriageRules,
)
from fandesk.ingest.models import ImportRun
from fandesk.members.models import AccountMember, Member, SignInCounter, WebSession
from fandesk.metrics.models import RoiAssumption
from fandesk.moderation.models import ModerationAction
from fandesk.people.models import (
    CustomFieldDefinition,
    Interaction,
    NicknameChange,
    Person,
    PersonField,
    PersonNote,
    PersonTag,
    Purchase,
    Referral,
    SurveyAnswer,
)
from fandesk.replies.models import ApprovalRules, Reply, ReplyTemplate, ReplyWork
from fandesk.workspace.models import Account, BusinessHours, Cost, OutOfOffice, WorkspaceMeta

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
