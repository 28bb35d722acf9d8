"""All tables, in dependency order (parents before children)."""

from app.models.accounts import (
    PROFILE_FIELDS,
    ROLES,
    TRUST_LEVELS,
    Passkey,
    Profile,
    StaffArea,
    User,
)
from app.models.applications import (
    Application,
    ApplicationEvent,
    Attachment,
    ServiceDefinitionRecord,
)
from app.models.audit import AuditEvent
from app.models.auth import AuthSession, EmailCode, SignInRecord, WebAuthnChallenge
from app.models.eid import EidBinding, EidSession
from app.models.feedback import Feedback, FeedbackReply
from app.models.gewerbe import BusinessRegisterEntry
from app.models.handoff import HandoffDelivery
from app.models.handoff_inbound import HandoffInboundReport
from app.models.inbox import Document, InboxMessage
from app.models.kita import KitaFacility, KitaFacilityStaff, KitaOffer, KitaParentConfirmation
from app.models.notifications import NotificationMail, NotificationPreference
from app.models.parking import (
    ParkingCounter,
    ParkingPass,
    ParkingPermit,
    ParkingPlate,
    ParkingRenewal,
    ParkingStreetRange,
    ParkingZone,
    PassRevocation,
)
from app.models.payments import (
    Notice,
    NoticeInstalment,
    NoticeRefund,
    Payment,
    PaymentEvent,
    PaymentSandboxTransaction,
    RefundExport,
    SepaDebit,
    SepaExport,
    SepaMandate,
)
from app.models.push import PushBroadcast, PushDelivery, PushSubscription
from app.models.reports import (
    DefectReport,
    Open311Key,
    ReportCategory,
    ReportEvent,
    ReportPhoto,
)
from app.models.retention import RetentionRun
from app.models.staff_digest import StaffDigest
from app.models.statistics import (
    CounterCase,
    CounterImport,
    CounterMonth,
    StatisticsDaily,
    StatisticsDuration,
    StatisticsMonthly,
    StatisticsMonthlyDuration,
    StatisticsRun,
    StatisticsTarget,
    StepView,
)
from app.models.storage import PassSigningKey, StoredFile, StoredFileChunk
from app.models.streets import StreetDirectoryVersion
from app.models.surveys import SatisfactionAnswer, SurveyResponse

ALL_MODELS = [
    User,
    StaffArea,
    Profile,
    Passkey,
    AuthSession,
    SignInRecord,
    EmailCode,
    WebAuthnChallenge,
    AuditEvent,
    ServiceDefinitionRecord,
    Application,
    ApplicationEvent,
    Attachment,
    Document,
    InboxMessage,
    EidBinding,
    EidSession,
    Feedback,
    FeedbackReply,
    NotificationPreference,
    NotificationMail,
    StaffDigest,
    # Payments (parents before children)
    Payment,
    Notice,
    NoticeInstalment,
    SepaMandate,
    SepaExport,
    SepaDebit,
    RefundExport,
    NoticeRefund,
    PaymentEvent,
    PaymentSandboxTransaction,
    # Web Push
    PushSubscription,
    PushDelivery,
    PushBroadcast,
    # Resident parking (parents before children)
    ParkingZone,
    ParkingStreetRange,
    ParkingPermit,
    ParkingPass,
    ParkingPlate,
    ParkingRenewal,
    PassRevocation,
    ParkingCounter,
    # Street directory
    StreetDirectoryVersion,
    # Satisfaction answers and city surveys
    SatisfactionAnswer,
    SurveyResponse,
    # Statistics
    CounterCase,
    CounterMonth,
    CounterImport,
    StatisticsTarget,
    StepView,
    StatisticsDaily,
    StatisticsDuration,
    StatisticsMonthly,
    StatisticsMonthlyDuration,
    StatisticsRun,
    # Hand-off to specialist systems
    HandoffDelivery,
    HandoffInboundReport,
    # Files in the database, pass signing keys
    StoredFile,
    StoredFileChunk,
    PassSigningKey,
    # Retention
    RetentionRun,
    # Trade register
    BusinessRegisterEntry,
    # Day-care places (parents before children)
    KitaFacility,
    KitaFacilityStaff,
    KitaOffer,
    KitaParentConfirmation,
    # Defect reports (parents before children)
    ReportCategory,
    Open311Key,
    DefectReport,
    ReportPhoto,
    ReportEvent,
]

__all__ = [
    "ALL_MODELS",
    "PROFILE_FIELDS",
    "ROLES",
    "TRUST_LEVELS",
    "Application",
    "ApplicationEvent",
    "Attachment",
    "AuditEvent",
    "AuthSession",
    "BusinessRegisterEntry",
    "CounterCase",
    "CounterImport",
    "CounterMonth",
    "DefectReport",
    "Document",
    "EidBinding",
    "EidSession",
    "EmailCode",
    "Feedback",
    "FeedbackReply",
    "HandoffDelivery",
    "HandoffInboundReport",
    "InboxMessage",
    "KitaFacility",
    "KitaFacilityStaff",
    "KitaOffer",
    "KitaParentConfirmation",
    "Notice",
    "NoticeInstalment",
    "NoticeRefund",
    "NotificationMail",
    "NotificationPreference",
    "Open311Key",
    "ParkingCounter",
    "ParkingPass",
    "ParkingPermit",
    "ParkingPlate",
    "ParkingRenewal",
    "ParkingStreetRange",
    "ParkingZone",
    "PassRevocation",
    "PassSigningKey",
    "Passkey",
    "Payment",
    "PaymentEvent",
    "PaymentSandboxTransaction",
    "Profile",
    "PushBroadcast",
    "PushDelivery",
    "PushSubscription",
    "RefundExport",
    "ReportCategory",
    "ReportEvent",
    "ReportPhoto",
    "RetentionRun",
    "SatisfactionAnswer",
    "SepaDebit",
    "SepaExport",
    "SepaMandate",
    "ServiceDefinitionRecord",
    "SignInRecord",
    "StaffArea",
    "StaffDigest",
    "StatisticsDaily",
    "StatisticsDuration",
    "StatisticsMonthly",
    "StatisticsMonthlyDuration",
    "StatisticsRun",
    "StatisticsTarget",
    "StepView",
    "StoredFile",
    "StoredFileChunk",
    "StreetDirectoryVersion",
    "SurveyResponse",
    "User",
    "WebAuthnChallenge",
]
