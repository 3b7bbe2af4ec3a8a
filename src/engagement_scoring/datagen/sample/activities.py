"""The sample's marketing activity: campaign and webinar calendars and the
builder of each contact's activity rows.
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import random

from ..common import HISTORY_DAYS
from .constants import (
    BLOG_SLUGS,
    CATEGORIES,
    CODE_OVERRIDES,
    FORMS_DEMO,
    FORMS_GENERAL,
    GENERAL_PAGES,
    ID_PREFIX,
    LATE_LOAD_SHARE,
    LEVELS,
    PDF_FILES,
    PRODUCT_PAGES,
    SEARCH_TERMS,
    SEND_SHARE,
    SITE,
    SOURCE_SPELLING_SHARE,
    SOURCE_SPELLINGS,
    TOUCH_WEIGHTS,
    TS_STYLES,
    VIDEOS,
    WEBINAR_TOPICS,
)
from .formats import at_time, business_time, format_ts, poisson, weighted

# --------------------------------------------------------------------------
# Activities
# --------------------------------------------------------------------------


def trend_multiplier(trend: str, days_ago: int) -> float:
    """Relative activity intensity `days_ago` days before as_of."""
    if trend == "rising":
        return 2.6 if days_ago < 30 else 1.2 if days_ago < 120 else 0.5
    if trend == "falling":
        return 0.07 if days_ago < 50 else 1.1
    # steady: marketing output has grown a little lately
    return 1.3 if days_ago < 30 else 1.0


def campaign_calendar(as_of: dt.date) -> list[tuple[dt.datetime, str, str]]:
    """Email sends: (send time UTC, email name, category or '') over the history.

    Four a month: newsletter (1st Tuesday), customer stories (2nd Wednesday),
    a product update rotating the categories (3rd Thursday) and tips (4th
    Tuesday).
    """
    def nth_weekday(month, weekday, nth):
        return month + dt.timedelta(days=(weekday - month.weekday()) % 7 + 7 * (nth - 1))

    sends = []
    month = (as_of - dt.timedelta(days=HISTORY_DAYS + 31)).replace(day=1)
    index = 0
    while month <= as_of:
        category = CATEGORIES[index % 3]
        sends += [
            (at_time(nth_weekday(month, 1, 1), 9 * 3600), f"newsletter-{month:%Y-%m}", ""),
            (at_time(nth_weekday(month, 2, 2), 13 * 3600), f"customer-stories-{month:%Y-%m}", ""),
            (at_time(nth_weekday(month, 3, 3), 15 * 3600 + 1800),
             f"product-update-{category}-{month:%Y-%m}", category),
            (at_time(nth_weekday(month, 1, 4), 10 * 3600), f"tips-and-tricks-{month:%Y-%m}", ""),
        ]
        index += 1
        month = (month + dt.timedelta(days=32)).replace(day=1)
    return sorted(sends)


def webinar_calendar(as_of: dt.date) -> list[tuple[dt.datetime, str, str]]:
    """Webinars every ~6 weeks, topics rotating, including one after as_of."""
    events = []
    day = as_of - dt.timedelta(days=HISTORY_DAYS)
    index = 0
    while day <= as_of + dt.timedelta(days=30):
        day += dt.timedelta(days=42)
        wednesday = day + dt.timedelta(days=(2 - day.weekday()) % 7)
        topic = CATEGORIES[index % 3]
        events.append((at_time(wednesday, 16 * 3600), WEBINAR_TOPICS[topic], topic))
        index += 1
    return events


class ActivityBuilder:
    """Turns contact touches into raw_activities rows (text) plus the truth."""

    def __init__(self, rng: random.Random, config: dict, as_of: dt.date):
        self.rng = rng
        self.config = config
        self.as_of = as_of
        self.end = at_time(as_of, 86399)
        self.serial = 0
        self.rows: list[dict] = []
        self.campaigns = campaign_calendar(as_of)
        self.campaign_times = [c[0] for c in self.campaigns]
        self.webinars = webinar_calendar(as_of)

    # -- one row ----------------------------------------------------------

    def code_for(self, system: str, canonical: str):
        """(system, source code) for a canonical type; generic when unmapped."""
        override = CODE_OVERRIDES.get((system, canonical))
        if override:
            return system, override
        codes = self.config["codes"].get((system, canonical))
        if not codes:
            system, codes = "generic", self.config["codes"][("generic", canonical)]
        if len(codes) > 1 and self.rng.random() < 0.15:
            return system, codes[1]
        return system, codes[0]

    def emit(self, contact_id: str, system: str, canonical: str, when: dt.datetime,
             asset=None, allow_future=False):
        rng = self.rng
        if when > self.end and not allow_future:
            return None
        system, code = self.code_for(system, canonical)
        self.serial += 1
        activity_id = f"{ID_PREFIX[system]}{self.serial:07d}"
        source_text = system
        if rng.random() < SOURCE_SPELLING_SHARE:
            source_text = rng.choice(SOURCE_SPELLINGS[system])
        if rng.random() < 0.03:
            code = {"hubspot": code.lower(), "generic": code.upper()}.get(system, f" {code}")
        occurred_text, moment = format_ts(rng, when, weighted(rng, TS_STYLES[system]))
        row = dict(
            activity_id=activity_id, source_system=source_text, activity_type=code,
            contact_id=contact_id, asset=asset, occurred_at=occurred_text,
            moment=moment, canonical=self.config["type_map"].get((system, code.strip().lower())),
            contact_key=contact_id.strip() if contact_id else None,
            reject=None, tag="base",
        )
        self.set_loaded(row, moment)
        self.rows.append(row)
        return row

    def set_loaded(self, row: dict, moment: dt.datetime, late=None):
        rng = self.rng
        if late is None:
            late = rng.random() < LATE_LOAD_SHARE
        delay = (dt.timedelta(days=rng.randint(1, 9), minutes=rng.randint(0, 600)) if late
                 else dt.timedelta(minutes=rng.randint(3, 360)))
        loaded = (moment + delay).replace(microsecond=rng.randrange(1000) * 1000)
        row["loaded"] = loaded
        if rng.random() < 0.5:
            row["loaded_at"] = f"{loaded:%Y-%m-%d %H:%M:%S}.{loaded.microsecond // 1000:03d} UTC"
        else:
            row["loaded_at"] = f"{loaded:%Y-%m-%dT%H:%M:%S}.{loaded.microsecond // 1000:03d}Z"

    # -- touches ----------------------------------------------------------

    def page_url(self, path: str) -> str:
        return SITE + path if self.rng.random() < 0.5 else path

    def touch(self, contact: dict, day: dt.date):
        rng = self.rng
        kind = weighted(rng, TOUCH_WEIGHTS)
        getattr(self, f"touch_{kind}")(contact, day, business_time(rng, day))

    def campaign_activity(self, contact: dict):
        """Every campaign sent while the contact exists: sends, opens, clicks.

        Sends go on whatever the contact does; opens follow its level and
        trend, so they give the steady small points most contacts earn.
        """
        rng = self.rng
        cid, system = contact["contact_id"], contact["system"]
        level = LEVELS[contact["level"]]
        if level["open"] == 0:
            return
        first_day = contact["active_until_days"]
        last_day = min(HISTORY_DAYS - 1, contact["created_days"])
        for sent, email, category in self.campaigns:
            days_ago = (self.as_of - sent.date()).days
            if not first_day <= days_ago <= last_day:
                continue
            if rng.random() < SEND_SHARE:
                self.emit(cid, system, "email_sent", sent, email)
                if system == "hubspot" and rng.random() < 0.5:
                    self.emit(cid, system, "email_delivered",
                              sent + dt.timedelta(seconds=40), email)
            chance = min(0.95, level["open"] * trend_multiplier(contact["trend"], days_ago))
            if rng.random() >= chance:
                continue
            opened = sent + dt.timedelta(hours=rng.expovariate(1 / 10))
            self.emit(cid, system, "email_open", opened, email)
            if rng.random() < 0.25:   # the same email opened again: scored once
                for _ in range(rng.randint(1, 3)):
                    opened += dt.timedelta(hours=rng.expovariate(1 / 20))
                    self.emit(cid, system, "email_open", opened, email)
            if rng.random() < 0.3:
                clicked = opened + dt.timedelta(minutes=rng.randint(1, 30))
                for _ in range(rng.choice([1, 1, 1, 2, 3, 6])):
                    if rng.random() < 0.2:
                        target = f"{SITE}/assets/{PDF_FILES[category or contact['interest']]}"
                    else:
                        target = f"{SITE}/blog/{rng.choice(BLOG_SLUGS)}?utm_campaign={email}"
                    self.emit(cid, system, "email_click", clicked, target)
                    clicked += dt.timedelta(minutes=rng.randint(1, 20))

    def touch_web(self, contact, day, when):
        rng = self.rng
        cid, system = contact["contact_id"], contact["system"]
        level = LEVELS[contact["level"]]
        pages = rng.randint(11, 25) if rng.random() < 0.08 else rng.randint(1, 4)
        if system == "pardot" and rng.random() < 0.35:
            self.emit(cid, system, "visitor_session", when, None)
        for _ in range(pages):
            roll = rng.random()
            if roll < level["pricing"]:
                path = "/pricing"
            elif roll < 0.45:
                path = rng.choice(PRODUCT_PAGES[contact["interest"]])
            elif roll < 0.6:
                path = rng.choice(PRODUCT_PAGES[rng.choice(CATEGORIES)])
            elif roll < 0.8:
                path = f"/blog/{rng.choice(BLOG_SLUGS)}"
            else:
                path = rng.choice(GENERAL_PAGES)
            self.emit(cid, system, "page_view", when, self.page_url(path))
            when += dt.timedelta(seconds=rng.randint(15, 400))
        if rng.random() < 0.08:
            self.emit(cid, system, "site_search", when, rng.choice(SEARCH_TERMS))

    def touch_form(self, contact, day, when):
        rng = self.rng
        cid, system = contact["contact_id"], contact["system"]
        if rng.random() < LEVELS[contact["level"]]["demo"]:
            form = rng.choice(FORMS_DEMO)
        else:
            form = rng.choice(FORMS_GENERAL)
        slug = form.lower().replace(" - ", "-").replace(" ", "-")
        self.emit(cid, system, "page_view", when, self.page_url(f"/forms/{slug}"))
        when += dt.timedelta(seconds=rng.randint(30, 240))
        if rng.random() < 0.1:
            self.emit(cid, system, "form_error", when, form)
            when += dt.timedelta(seconds=rng.randint(20, 90))
        self.emit(cid, system, "form_submission", when, form)

    def touch_webinar(self, contact, day, when):
        rng = self.rng
        cid, system = contact["contact_id"], contact["system"]
        starts = [w for w in self.webinars if w[0].date() >= day]
        if not starts:
            return
        event_time, name, _topic = starts[0]
        registered = min(when, event_time - dt.timedelta(hours=1))
        self.emit(cid, system, "webinar_registered", registered, name)
        if rng.random() < 0.55 and event_time <= self.end:
            self.emit(cid, system, "webinar_attended",
                      event_time + dt.timedelta(minutes=rng.randint(0, 15)), name)

    def touch_content(self, contact, day, when):
        rng = self.rng
        cid, system = contact["contact_id"], contact["system"]
        roll = rng.random()
        if roll < 0.5:
            self.emit(cid, system, "file_download", when,
                      PDF_FILES[rng.choice([contact["interest"]] + CATEGORIES)])
        elif roll < 0.75:
            canonical = "video_view" if rng.random() < 0.6 else "video_watched"
            self.emit(cid, system, canonical, when, rng.choice(VIDEOS))
        else:
            self.emit(cid, system, "custom_redirect_click", when, f"{SITE}/go/free-trial")

    def touch_chat(self, contact, day, when):
        self.emit(contact["contact_id"], contact["system"], "chat", when, None)

    def touch_negative(self, contact, day, when):
        rng = self.rng
        cid, system = contact["contact_id"], contact["system"]
        index = bisect.bisect_right(self.campaign_times, at_time(day, 86399)) - 1
        sent, email, _category = self.campaigns[max(0, index)]
        roll = rng.random()
        canonical = ("email_unsubscribe" if roll < 0.45 else
                     "email_bounce" if roll < 0.9 else "email_spam_report")
        self.emit(cid, system, canonical, sent + dt.timedelta(minutes=rng.randint(1, 600)), email)

    # -- per contact -------------------------------------------------------

    def contact_activity(self, contact: dict):
        """All touches of one contact over the history."""
        rng = self.rng
        level = LEVELS[contact["level"]]
        if level["rate"] == 0:
            return
        first_day = max(0, contact["active_until_days"])
        last_day = min(HISTORY_DAYS - 1, contact["created_days"])
        if last_day < first_day:
            return
        days, weights = [], []
        for days_ago in range(first_day, last_day + 1):
            day = self.as_of - dt.timedelta(days=days_ago)
            weekday = 1.15 if day.weekday() < 5 else 0.4
            days.append(day)
            weights.append(trend_multiplier(contact["trend"], days_ago) * weekday)
        expected = level["rate"] / 30.4 * sum(weights)
        count = poisson(rng, expected)
        if count == 0:
            return
        cumulative = list(itertools.accumulate(weights))
        for day in sorted(rng.choices(days, cum_weights=cumulative, k=count)):
            self.touch(contact, day)

    def opportunity_events(self, opportunities: list[dict], contacts_by_account: dict):
        """Pardot/generic accounts see opportunity created/won/lost activities."""
        rng = self.rng
        start = self.as_of - dt.timedelta(days=HISTORY_DAYS - 1)
        for opp in opportunities:
            account = opp["account"]
            people = contacts_by_account.get(account["account_id"], [])
            if opp["is_deleted"] or not people or account["system"] not in ("pardot", "generic"):
                continue
            if rng.random() < 0.4:
                continue
            person = rng.choice(people)
            if opp["created_day"] >= start:
                self.emit(person["contact_id"], account["system"], "opportunity_created",
                          business_time(rng, opp["created_day"]), None)
            if opp["is_closed"] and opp["close_day"] >= start:
                self.emit(person["contact_id"], account["system"],
                          "opportunity_won" if opp["is_won"] else "opportunity_lost",
                          business_time(rng, opp["close_day"]), None)
