//! Word pools the generator draws names from: business areas, entities, column names by type,
//! enum names and labels — so the schema reads like an application's, not like `t1.c1`.

pub const SCHEMAS: &[(&str, u32)] = &[
    ("public", 62),
    ("billing", 11),
    ("analytics", 10),
    ("audit", 9),
    ("inventory", 8),
];

pub const AREAS: &[&str] = &[
    "account",
    "billing",
    "catalog",
    "crm",
    "inventory",
    "shipping",
    "support",
    "hr",
    "marketing",
    "auth",
    "content",
    "payment",
    "order",
    "project",
    "team",
    "report",
    "sales",
    "vendor",
    "warehouse",
    "fleet",
    "course",
    "survey",
    "event",
    "campaign",
    "media",
    "forum",
    "store",
    "tax",
    "loyalty",
    "risk",
];

pub const ENTITIES: &[&str] = &[
    "users",
    "orders",
    "items",
    "events",
    "notes",
    "settings",
    "tags",
    "invoices",
    "payments",
    "contacts",
    "tickets",
    "messages",
    "products",
    "prices",
    "addresses",
    "sessions",
    "tokens",
    "roles",
    "members",
    "comments",
    "files",
    "tasks",
    "jobs",
    "rules",
    "plans",
    "credits",
    "refunds",
    "shipments",
    "parcels",
    "vehicles",
    "drivers",
    "lessons",
    "answers",
    "votes",
    "reviews",
    "coupons",
    "discounts",
    "accounts",
    "ledgers",
    "batches",
    "locations",
    "assets",
    "alerts",
    "webhooks",
    "exports",
    "imports",
    "quotas",
    "limits",
    "schedules",
    "slots",
];

pub const MODIFIERS: &[&str] = &[
    "history",
    "archive",
    "links",
    "stats",
    "queue",
    "snapshots",
    "daily",
    "log",
    "types",
    "versions",
    "drafts",
    "cache",
    "meta",
    "audit",
    "mapping",
    "requests",
    "results",
    "changes",
];

pub const ROLE_PREFIXES: &[&str] = &[
    "parent",
    "owner",
    "source",
    "target",
    "primary",
    "billing",
    "created_by",
];

/// Column names by the kind of value they hold (kept ≤ 24 bytes so implicit names stay short).
pub const TEXT_COLS: &[&str] = &[
    "name",
    "title",
    "description",
    "notes",
    "summary",
    "body",
    "label",
    "slug",
    "token",
    "reference",
    "user_agent",
    "comment",
    "content",
    "headline",
    "address_line",
    "city",
];
pub const VARCHAR_COLS: &[&str] = &[
    "email",
    "code",
    "phone",
    "url",
    "locale",
    "currency",
    "external_id",
    "sku",
    "handle",
    "status",
    "source",
    "channel",
    "postal_code",
    "first_name",
    "last_name",
    "display_name",
];
pub const NUMERIC_COLS: &[&str] = &[
    "amount",
    "price",
    "total",
    "balance",
    "tax_rate",
    "discount",
    "weight",
    "unit_price",
    "cost",
];
pub const INT_COLS: &[&str] = &[
    "quantity",
    "priority",
    "position",
    "sort_order",
    "version",
    "attempts",
    "retries",
    "year",
    "level",
    "capacity",
    "duration_days",
];
pub const SMALLINT_COLS: &[&str] = &["rank", "stars", "month", "weekday"];
pub const BIGINT_COLS: &[&str] = &[
    "size_bytes",
    "views",
    "counter",
    "sequence_no",
    "total_cents",
];
pub const BOOL_COLS: &[&str] = &[
    "is_active",
    "is_archived",
    "is_public",
    "enabled",
    "verified",
    "is_default",
    "locked",
    "is_primary",
    "accepted",
];
pub const TIMESTAMPTZ_COLS: &[&str] = &[
    "starts_at",
    "ends_at",
    "expires_at",
    "published_at",
    "processed_at",
    "last_seen_at",
    "archived_at",
    "confirmed_at",
    "scheduled_at",
    "sent_at",
];
pub const TIMESTAMP_COLS: &[&str] = &["imported_at", "synced_at", "local_time"];
pub const DATE_COLS: &[&str] = &[
    "due_date",
    "birth_date",
    "valid_from",
    "valid_to",
    "period_start",
    "period_end",
];
pub const INTERVAL_COLS: &[&str] = &["timeout", "grace_period", "retention"];
pub const UUID_COLS: &[&str] = &["public_id", "request_id", "trace_id", "session_uuid"];
pub const JSONB_COLS: &[&str] = &[
    "metadata",
    "settings",
    "payload",
    "attributes",
    "config",
    "extra",
];
pub const TEXT_ARRAY_COLS: &[&str] = &["tags", "labels", "aliases", "keywords"];
pub const INT_ARRAY_COLS: &[&str] = &["scores", "flags", "weights"];
pub const FLOAT_COLS: &[&str] = &["latitude", "longitude", "ratio", "confidence"];
pub const INET_COLS: &[&str] = &["ip_address", "client_ip"];
pub const BYTEA_COLS: &[&str] = &["checksum", "thumbnail"];
pub const CHAR_COLS: &[&str] = &["country_code", "iso_code"];

pub const ENUM_NAMES: &[&str] = &[
    "status",
    "kind",
    "state",
    "tier",
    "visibility",
    "severity",
    "channel_kind",
    "role",
    "phase",
];
pub const ENUM_LABELS: &[&str] = &[
    "draft", "active", "pending", "archived", "deleted", "failed", "done", "open", "closed", "low",
    "medium", "high", "critical", "public", "private", "internal", "trial", "paid",
];

/// Prisma-style models: PascalCase table names, camelCase columns.
pub const PRISMA_AREAS: &[&str] = &[
    "Workspace",
    "Team",
    "Project",
    "Board",
    "Billing",
    "Store",
    "Course",
    "Forum",
    "Chat",
    "Doc",
];
pub const PRISMA_ENTITIES: &[&str] = &[
    "Member",
    "Invite",
    "Comment",
    "Item",
    "Reaction",
    "Label",
    "Webhook",
    "Token",
    "Thread",
    "Attachment",
    "Setting",
    "Subscription",
    "Seat",
    "Visit",
    "Rating",
];
pub const PRISMA_TEXT_COLS: &[&str] = &[
    "name",
    "title",
    "body",
    "slug",
    "email",
    "avatarUrl",
    "externalId",
    "color",
];
pub const PRISMA_INT_COLS: &[&str] = &["position", "count", "sortOrder", "seats"];
pub const PRISMA_BOOL_COLS: &[&str] = &["isPinned", "archived", "isPrivate", "emailVerified"];
pub const PRISMA_TIME_COLS: &[&str] = &["lastActiveAt", "expiresAt", "deletedAt", "acceptedAt"];
pub const PRISMA_ENUMS: &[&str] = &["Role", "Plan", "InviteStatus", "Visibility", "Priority"];
pub const PRISMA_LABELS: &[&str] = &[
    "OWNER", "ADMIN", "MEMBER", "GUEST", "PENDING", "ACCEPTED", "FREE", "PRO", "LOW", "HIGH",
];
