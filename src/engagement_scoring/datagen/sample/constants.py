"""The sample generator's constants: default paths and seed, the vocabulary
(names, industries, titles, assets), the shape of the population and the
messiness injected into raw_activities.
"""

from __future__ import annotations

from pathlib import Path

# --------------------------------------------------------------------------
# Defaults (paths relative to the project's root, where the command runs)
# --------------------------------------------------------------------------

DEFAULT_PROJECT = Path(".")
DEFAULT_SEEDS = Path("seeds")
DEFAULT_OUT = DEFAULT_SEEDS / "sample"
DEFAULT_SEED = 42
DEFAULT_AS_OF = "2026-10-31"

# --------------------------------------------------------------------------
# Vocabulary
# --------------------------------------------------------------------------

OWNERS = [f"usr_{i:02d}" for i in range(1, 9)]
# Industries of business accounts (weights). Fit grading (seeds/
# grading_criteria.csv) favours some of them, so the sample holds both those
# and others, a few spelled in another case or padded, and a few unknown
# (None: blank in the file).
INDUSTRY_WEIGHTS = {
    "Software": 12, "SaaS": 5, "Technology": 6, "Financial Services": 8,
    "Banking": 4, "Insurance": 4, "Healthcare": 8,
    "Retail": 8, "Logistics": 6, "Manufacturing": 9, "Education": 6,
    "Hospitality": 3, "Construction": 3, "Media": 3,
    "software": 1, "FINANCIAL SERVICES": 1, " Healthcare ": 1, None: 3,
}
# Champion customers mostly come from the industries the product sells best in.
CHAMPION_INDUSTRY_WEIGHTS = {
    "Software": 10, "SaaS": 6, "Technology": 3, "Financial Services": 4, "Banking": 2,
    "Insurance": 2, "Healthcare": 3, "Manufacturing": 2, "Retail": 1, "Logistics": 1,
}
FIRST_NAMES = [
    "Ada", "Ben", "Carla", "Dev", "Elena", "Farid", "Grace", "Hugo", "Ines",
    "Jonas", "Kira", "Liam", "Maya", "Nils", "Olga", "Priya", "Quinn", "Rosa",
    "Sam", "Tariq", "Uma", "Victor", "Wen", "Ximena", "Yusuf", "Zoe", "Aiko",
    "Bruno", "Chloe", "Diego", "Emma", "Felix", "Hana", "Ivan", "Julia",
    "Kofi", "Lena", "Marco", "Nora", "Omar",
]
LAST_NAMES = [
    "Anders", "Baker", "Chen", "Diaz", "Eriksen", "Fischer", "Garcia",
    "Haddad", "Ito", "Jensen", "Kowalski", "Lopez", "Moreau", "Nakamura",
    "Okafor", "Petrov", "Quintero", "Rossi", "Schmidt", "Tanaka", "Ueda",
    "Varga", "Weber", "Xu", "Yilmaz", "Zimmer", "Novak", "Silva", "Murphy",
    "Kim",
]
COMPANY_WORDS = [
    "Acme", "Bluewave", "Cobalt", "Driftwood", "Ember", "Fjord", "Granite",
    "Harbor", "Ionic", "Juniper", "Kestrel", "Lumen", "Meridian", "Northwind",
    "Orbit", "Pinnacle", "Quarry", "Redwood", "Summit", "Tidal", "Umbra",
    "Vertex", "Willow", "Xenon", "Yarrow", "Zephyr", "Atlas", "Beacon",
    "Cascade", "Delta", "Evergreen", "Falcon", "Glacier", "Helix", "Iris",
    "Jade", "Keystone", "Lattice", "Monarch", "Nimbus", "Oakridge", "Prairie",
    "Quartz", "Riverbend", "Sable", "Trident", "Unity", "Vantage", "Wren",
    "Yukon", "Zenith", "Aurora", "Birch", "Crescent", "Dune", "Echo",
    "Foxglove", "Gannet", "Heron", "Indigo", "Kelp", "Larch",
]
COMPANY_SUFFIXES = [
    "Analytics", "Systems", "Labs", "Logistics", "Health", "Capital",
    "Retail", "Manufacturing", "Software", "Group", "Partners", "Learning",
]
# Job titles as CRMs hold them (weights): executives, managers and team
# leads, marketing/revenue people, individual contributors, interns and
# assistants; a few in another case or padded with spaces, a few blank.
# None (missing) is drawn apart, see ContactFactory.new.
TITLE_WEIGHTS = {
    # executives and founders
    "CEO": 3, "CTO": 3, "CFO": 2, "CMO": 2, "CIO": 1, "Chief Revenue Officer": 2,
    "Chief Marketing Officer": 1, "Co-Founder": 1, "Founder & CEO": 1,
    "VP Marketing": 4, "VP of Sales": 3, "Vice President, Operations": 2,
    "Head of Growth": 2, "Head of Analytics": 3, "Head of Marketing": 2,
    "IT Director": 3, "Director of Operations": 3, "Director, Demand Generation": 2,
    "Senior Director, Revenue Operations": 1, "Account Director": 1,
    # managers and team leads
    "Marketing Manager": 6, "Product Manager": 4, "Operations Manager": 4,
    "Revenue Operations Manager": 2, "Engineering Manager": 3, "Account Manager": 3,
    "Automation Lead": 3, "Team Lead, Customer Support": 2, "Marketing Operations Lead": 2,
    # marketing and revenue people
    "Marketing Specialist": 3, "Growth Marketer": 2, "Demand Generation Specialist": 2,
    "Sales Operations Analyst": 3, "Revenue Analyst": 2, "Marketing Coordinator": 2,
    # individual contributors
    "Data Analyst": 5, "Software Engineer": 6, "Business Analyst": 4,
    "Security Engineer": 3, "CISO": 2, "Procurement Specialist": 3, "Consultant": 3,
    "Accountant": 2, "Teacher": 1, "Nurse": 1,
    # interns, students and assistants
    "Marketing Intern": 2, "Intern": 2, "Student": 2, "PhD Student": 1,
    "Executive Assistant": 2, "Sales Assistant": 1, "Research Assistant": 1,
    # the same, as typed by hand
    "vp marketing": 1, "MARKETING MANAGER": 1, "  CTO ": 1, "ceo": 1, "intern ": 1,
    "": 1, " ": 1,
}
# The people who evaluate a marketing product engage the most: half of the
# active and very active contacts hold one of these titles (weights).
BUYER_TITLE_WEIGHTS = {
    "VP Marketing": 4, "CMO": 2, "Head of Marketing": 3, "Head of Growth": 2,
    "Director, Demand Generation": 3, "Senior Director, Revenue Operations": 2,
    "Marketing Manager": 6, "Marketing Operations Lead": 4, "Revenue Operations Manager": 3,
    "Growth Marketer": 3, "Marketing Specialist": 3, "Demand Generation Specialist": 2,
    "Marketing Coordinator": 2, "Data Analyst": 2, "Marketing Intern": 1,
}
BUYER_TITLE_SHARE = 0.5
# Free mailbox domains (weights).
FREEMAIL_WEIGHTS = {
    "gmail.com": 40, "outlook.com": 15, "yahoo.com": 15, "hotmail.com": 12,
    "icloud.com": 4, "yahoo.co.uk": 4, "proton.me": 3, "googlemail.com": 3,
    "hotmail.de": 2, "gmx.de": 2,
}
# How an email address is written (weights): mostly lower case; a few
# capitalised or upper-case (a domain compares case-insensitively), padded
# with spaces, without an '@' (a typo or a placeholder), or blank.
EMAIL_STYLES = {"lower": 86, "capitalised": 4, "upper_domain": 2, "upper": 1,
                "padded": 2, "no_at": 3, "blank": 2}
# Share of contacts of a business account whose CRM email is a private one.
CONTACT_FREEMAIL_SHARE = 0.08
CATEGORIES = ["analytics", "automation", "security"]

# Website, email, form, file, webinar and video assets. Product pages and
# webinars carry the scoring categories of seeds/scoring_rules.csv.
PRODUCT_PAGES = {
    "analytics": ["/products/analytics", "/products/analytics/overview",
                  "/products/analytics/dashboards", "/products/analytics/pricing-faq"],
    "automation": ["/products/automation", "/products/automation/workflows",
                   "/products/automation/integrations"],
    "security": ["/products/security", "/products/security/compliance",
                 "/products/security/zero-trust"],
}
GENERAL_PAGES = ["/", "/about", "/customers", "/careers", "/contact",
                 "/docs/getting-started", "/docs/api", "/events"]
BLOG_SLUGS = [
    "five-dashboards-every-cfo-needs", "zero-trust-in-practice",
    "automating-month-end-close", "what-is-lead-scoring",
    "security-checklist-2026", "data-quality-myths", "workflow-automation-roi",
    "customer-story-northwind", "release-notes-q2", "release-notes-q3",
]
PDF_FILES = {
    "analytics": "analytics-datasheet.pdf",
    "automation": "automation-roi-guide.pdf",
    "security": "whitepaper-security.pdf",
}
FORMS_GENERAL = ["Contact Us", "Newsletter Signup", "Whitepaper Download Form",
                 "Pricing Inquiry", "Event Signup"]
FORMS_DEMO = ["Demo Request", "Request a Demo - Automation"]
WEBINAR_TOPICS = {
    "security": "Security Best Practices Webinar",
    "analytics": "Analytics in Practice Webinar",
    "automation": "Automation Live Demo Webinar",
}
VIDEOS = ["automation-demo-video", "product-tour-video"]
SEARCH_TERMS = ["pricing", "sso", "api limits", "soc 2", "dashboard export"]
SITE = "https://example.com"

# --------------------------------------------------------------------------
# Shape of the population
# --------------------------------------------------------------------------

# Business-account archetypes. engagement: contact level mix; trend: how
# activity moves over time; sales: won-opportunity profiles to draw from;
# pay: on-time payment probability range (None: not a customer); cases:
# support load; contacts: range of contacts per account.
ACCOUNT_ARCHETYPES = {
    "champion": dict(count=8, engagement="high", trends=("rising",),
                     sales=("growth",), pay=(0.97, 1.0), cases="calm",
                     contacts=(6, 13)),
    "healthy": dict(count=12, engagement="medium", trends=("steady", "steady", "rising"),
                    sales=("growth", "flat", "new"), pay=(0.85, 1.0),
                    cases="normal", contacts=(4, 10)),
    "mixed": dict(count=14, engagement="medium",
                  trends=("steady", "steady", "steady", "falling", "rising"),
                  sales=("flat", "decline", "none"), pay=(0.6, 0.9),
                  cases="normal", contacts=(3, 9)),
    "declining": dict(count=6, engagement="low", trends=("falling",),
                      sales=("decline",), pay=(0.45, 0.65), cases="troubled",
                      contacts=(3, 8)),
    "new_logo": dict(count=4, engagement="medium", trends=("rising",),
                     sales=("new",), pay=(0.95, 1.0), cases="calm",
                     contacts=(3, 7)),
    "prospect": dict(count=4, engagement="medium", trends=("steady",),
                     sales=("none",), pay=None, cases="quiet", contacts=(2, 5)),
    # no contacts or deals, but billed (poorly): health from payments and support
    "empty": dict(count=1, engagement="low", trends=("steady",),
                  sales=("none",), pay=(0.45, 0.45), cases="quiet", contacts=(0, 0)),
    # no contacts, deals or invoices; support cases on some (NO_EVIDENCE_CASES):
    # only the support measure has a value, so health is unknown
    "no_evidence": dict(count=3, engagement="low", trends=("steady",),
                        sales=("none",), pay=None, cases="none", contacts=(0, 0)),
}
# Support cases of the no_evidence accounts, in account order: (days ago, priority).
NO_EVIDENCE_CASES = [[(12, "urgent"), (200, "low")], [(45, "medium")], []]
PERSON_ACCOUNTS = 4
DELETED_ACCOUNTS = 2
CONTACTS_PER_DELETED_ACCOUNT = 3
UNKNOWN_ACCOUNT_CONTACTS = 4   # account_id not in raw_accounts (still scored)
LEADS = 150
LEADS_WITH_ACCOUNT_SHARE = 0.2
DELETED_CONTACTS = 10          # deleted, not merged
SIMPLE_MERGES = 8              # one-hop merges (one of them into a deleted contact)
MERGE_CHAIN_HOPS = (2, 2, 3)   # A->B->C, A->B->C, A->B->C->D
CRM_SYNCED_SHARE = 0.6         # scored contacts with CRM score fields filled
CRM_IN_SYNC_SHARE = 0.35       # of those, already equal to the desired values

# Contact engagement: mix of levels per engagement class (weights), and per
# level the chance to open a campaign email and the touches a month (both at
# trend multiplier 1), the share of page views that hit pricing and the
# share of forms that are demo requests.
LEVEL_MIX = {
    "high": {"none": 2, "quiet": 12, "regular": 28, "active": 36, "very": 22},
    "medium": {"none": 8, "quiet": 34, "regular": 36, "active": 18, "very": 4},
    "low": {"none": 25, "quiet": 45, "regular": 22, "active": 8, "very": 0},
    "lead": {"none": 18, "quiet": 47, "regular": 22, "active": 10, "very": 3},
}
LEVELS = {
    "none": dict(open=0.0, rate=0.0, pricing=0.0, demo=0.0),
    "quiet": dict(open=0.06, rate=0.06, pricing=0.03, demo=0.05),
    "regular": dict(open=0.15, rate=0.13, pricing=0.06, demo=0.10),
    "active": dict(open=0.28, rate=0.35, pricing=0.10, demo=0.22),
    "very": dict(open=0.5, rate=1.1, pricing=0.14, demo=0.30),
}
TOUCH_WEIGHTS = {"web": 64, "form": 4, "webinar": 5, "content": 15,
                 "chat": 3, "negative": 4}
SEND_SHARE = 0.18   # share of campaigns a contact is in the send list of

# Primary marketing-automation system per account / lead.
SYSTEM_WEIGHTS = {"pardot": 50, "hubspot": 20, "marketo": 20, "generic": 10}
# How each system writes occurred_at (style weights, see format_ts).
TS_STYLES = {
    "pardot": {"utc": 50, "frac_utc": 30, "iso_z": 10, "offset": 6, "naive": 4},
    "hubspot": {"iso_ms_z": 60, "iso_z": 30, "offset": 10},
    "marketo": {"offset": 60, "iso_z": 30, "naive": 10},
    "generic": {"naive": 50, "iso_z": 20, "offset": 15, "frac_utc": 14, "date": 1},
}
OFFSET_MINUTES = [120, 60, 330, 540, -300, -480, -180, -420]
SOURCE_SPELLINGS = {
    "pardot": ["Pardot", "PARDOT", " pardot", "pardot "],
    "hubspot": ["HubSpot", " hubspot ", "Hubspot"],
    "marketo": ["Marketo", "MARKETO "],
    "generic": ["Generic", " generic"],
}
SOURCE_SPELLING_SHARE = 0.08
# Source codes preferred when a canonical type has several (first listed in
# the map otherwise); hubspot reports unsubscribes as subscription changes.
CODE_OVERRIDES = {("hubspot", "email_unsubscribe"): "STATUSCHANGE"}
ID_PREFIX = {"pardot": "pd-", "hubspot": "hs-", "marketo": "mk-", "generic": "gn-"}

# --------------------------------------------------------------------------
# Messiness injected into raw_activities (numbers of extra rows)
# --------------------------------------------------------------------------

MESSINESS = {
    "duplicate_pairs": 34,            # same id loaded twice, the copy loaded later
    "duplicate_triples": 3,           # same id loaded three times
    "duplicate_blank_first": 8,       # earliest copy has a blank contact_id
    "duplicate_null_loaded_at": 2,    # one copy with no loaded_at (it loses)
    "duplicate_reordered": 5,         # later-loaded copy written first in the file
    "blank_activity_id": 20,
    "blank_contact_id": 20,
    "invalid_occurred_at": 24,
    "unknown_activity_type": 24,
    "orphan_contact": 30,
    "future": 30,
    "padded_contact_id": 10,          # ' con_0012 ': matches after trimming
}
INVALID_TIMESTAMPS = ["not a date", "2026-13-45", "", "2026-02-30 10:00:00",
                      "31/12/2025 10:00", "2026-10-05 25:00:00", "yesterday",
                      "   "]
UNKNOWN_TYPES = [("pardot", "99"), ("hubspot", "MYSTERY"), ("marketo", "4242"),
                 ("generic", "tweet_like"), ("pardot", "")]
FUTURE_TYPES = ["page_view", "email_open", "form_submission", "email_sent"]
FUTURE_ASSETS = [f"{SITE}/pricing", "newsletter-2026-11", "Contact Us",
                 "/products/security", None]
LATE_LOAD_SHARE = 0.03
