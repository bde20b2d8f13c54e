"""Imports every domain's tables so metadata (and Alembic) sees them all."""

from fandesk.content.models import Comment, DmConversation, DmMessage, Mention, Note
from fandesk.ingest.models import ImportRun
from fandesk.people.models import (
    Interaction,
    NicknameChange,
    Person,
    PersonField,
    Purchase,
    Referral,
    SurveyAnswer,
)
from fandesk.workspace.models import Account, Cost

__all__ = ["Account", "Comment", "Cost", "DmConversation", "DmMessage", "ImportRun", "Interaction",
           "Mention", "NicknameChange", "Note", "Person", "PersonField", "Purchase", "Referral",
           "SurveyAnswer"]
