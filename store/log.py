"""The event store application: validated, idempotent, concurrency-checked appends and reads.

Writers (forms, the importer, scripts) hand it ``NewEvent``s; it validates every payload, applies
the stream rules (an activity fact needs a planned activity; a retraction names a live event of
the same stream), chains the hashes and hands rows to the recorder in one transaction. Readers get
``StoredEvent``s with payloads upcast to the current schema. What an event is and the refusals are
in ``store.recording.envelope``; an export file's way back in is ``store.recording.export_file``.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any
from zoneinfo import ZoneInfo

from store import config
from store.command import chinese
from store.domain import events, rules
from store.domain.soundness import Soundness
from store.recording import integrity
from store.recording.chain import canonical_json, envelope_hash, parse_json
from store.recording.envelope import (
    ConcurrencyError,
    ImportFileError,
    NewEvent,
    RuleRefused,
    StoredEvent,
    StoreError,
    StreamRuleError,
    VerifyResult,
    check_envelope,
    format_recorded_at,
    parse_recorded_at,
    same_as_stored,
)
from store.recording.export_file import (
    CHAIN_REASONS_ZH,
    imported,
    read_envelopes,
    verify_envelopes,
)
from store.recording.integrity import Anchor, Watermarks
from store.recording.recorder import AppendTx, Head, Reads, Recorder
from store.recording.schema import COLUMNS, EVENTS


def business_today() -> dt.date:
    return dt.datetime.now(ZoneInfo(config.DISPLAY_TZ)).date()


def _row_to_stored(row: Sequence[Any], *, upcast: bool = True) -> StoredEvent:
    """A stored event from a recorder row (a tuple in ``COLUMNS`` order): the hot path of every fold."""
    position, event_id, stream, version, kind, schema, occurred, recorded, actor, unit, payload, prev, digest = row
    payload = parse_json(payload)
    if upcast and schema != (current := events.schema_version(kind)):
        payload, schema = events.upcast(kind, schema, payload), current
    return StoredEvent(position, event_id, stream, version, kind, schema,
                       occurred if isinstance(occurred, dt.date) else dt.date.fromisoformat(occurred),
                       parse_recorded_at(recorded), actor, unit, payload, prev, digest)


def _as_tuple(row: dict[str, Any]) -> tuple[Any, ...]:
    return tuple(row[name] for name in COLUMNS)


def _envelope_of_row(row: Sequence[Any]) -> dict[str, Any]:
    envelope = dict(zip(COLUMNS, row))
    occurred = envelope["occurred_on"]
    envelope["occurred_on"] = occurred if isinstance(occurred, str) else occurred.isoformat()
    envelope["payload"] = parse_json(envelope["payload"])
    return envelope


class EventStore:
    """The log on one database: append, read, verify, export and import."""

    def __init__(self, url: str | None = None, *, sqlite_synchronous: str | None = None,
                 read_only: bool = False, groups: rules.Groups | None = None) -> None:
        self.url = config.database_url(url)
        self.recorder = Recorder(self.url, synchronous=sqlite_synchronous, read_only=read_only)
        self.signing_key = integrity.signing_key()
        self.groups: rules.Groups = groups or {}

    def use_groups(self, groups: rules.Groups) -> None:
        """The unit registry's groups (group → members), from the writers that know it: the rules and
        the projections then count a member of a group the plan names as that group's role."""
        self.groups = groups

    def init(self) -> None:
        self.recorder.init()

    def close(self) -> None:
        self.recorder.dispose()

    # -- writing -------------------------------------------------------------------------------

    def append(self, new: NewEvent) -> StoredEvent:
        """Append one event, or return the stored one when its event_id was appended before."""
        return self.append_many([new])[0]

    def append_many(self, batch: Sequence[NewEvent]) -> list[StoredEvent]:
        """Append all events in one transaction, or none. Already stored event_ids are returned as stored."""
        prepared = [self._prepare(new) for new in batch]
        ids = [p["event_id"] for p in prepared]
        if len(set(ids)) != len(ids):
            twice = next(i for i in ids if ids.count(i) > 1)
            raise StoreError("the same event_id appears twice in one batch",
                             f"同一批事件中 event_id {twice} 出现了两次")
        with self.recorder.appending(self._reads_for(prepared)) as tx:
            existing = tx.existing(ids)
            head = tx.head()
            rows: list[dict[str, Any]] = []
            in_batch: dict[str, dict[str, Any]] = {}
            pending: dict[str, int] = {}
            for new, row in zip(batch, prepared):
                if row["event_id"] in existing:
                    same_as_stored(row, existing[row["event_id"]], dated=False)
                    continue
                stream = row["stream"]
                self._check_stream(tx, new, row, in_batch, pending.get(stream, 0))
                self._check_rules(tx, row, in_batch)
                pending[stream] = pending.get(stream, 0) + 1
                row["version"] = tx.stream_version(stream) + pending[stream]
                head = self._chain(row, head.position + 1, head.hash)
                rows.append(row)
                in_batch[row["event_id"]] = row
            tx.insert(rows)
            self._seal(tx, rows)
        by_id = {**existing, **{r["event_id"]: r for r in rows}}
        return [_row_to_stored(_as_tuple(by_id[i])) for i in ids]

    def retract(self, event_id: str, reason: str, *, actor: str = "", unit: str = "",
                occurred_on: dt.date | None = None, retraction_id: str | None = None) -> StoredEvent:
        """Record a correction of an earlier event in that event's own stream."""
        target = self.get(event_id)
        if target is None:
            raise StreamRuleError(f"no event with id {event_id}", f"没有 event_id 为 {event_id} 的事件", "no_such_event")
        return self.append(NewEvent(
            type="EventRetracted", stream=target.stream,
            payload={"retracted_event_id": event_id, "reason": reason},
            occurred_on=occurred_on, event_id=retraction_id, actor=actor, unit=unit))

    def _prepare(self, new: NewEvent) -> dict[str, Any]:
        payload = events.validate(new.type, new.payload)
        occurred = new.occurred_on or business_today()
        event_id = new.event_id or str(uuid.uuid4())
        check_envelope(new.type, new.stream, event_id, occurred, new.actor, new.unit)
        return {
            "event_id": event_id,
            "stream": new.stream,
            "type": new.type,
            "schema_version": events.schema_version(new.type),
            "occurred_on": occurred,
            "recorded_at": format_recorded_at(dt.datetime.now(dt.UTC)),
            "actor": new.actor,
            "unit": new.unit,
            "payload": payload,
        }

    @staticmethod
    def _reads_for(rows: Sequence[dict[str, Any]]) -> Reads:
        """Every read the checks below will make for these rows, so that PostgreSQL gets them with the lock
        in one round trip (``Recorder.appending``). It mirrors ``_check_stream``, ``_check_rules`` and
        ``_check_retraction``; a read it misses still happens, one round trip later."""
        ids = [row["event_id"] for row in rows]
        stream_rows: list[tuple[str, tuple[str, ...]]] = []
        retractions: list[tuple[str, str]] = []
        for row in rows:
            stream = row["stream"]
            if row["type"] in rules.REVIEWED_TYPES and events.stream_kind(stream) == "activity":
                stream_rows += [(events.plan_stream(stream.split("/")[1]), _SETTINGS_FACTS), (stream, _REVIEW_FACTS),
                                (stream, _PLAN_FACTS)]
            if row["type"] == "EventRetracted":
                target = row["payload"]["retracted_event_id"]
                ids.append(target)
                retractions.append((stream, _retraction_fragment(target)))
        return Reads(event_ids=tuple(ids), streams=tuple(row["stream"] for row in rows),
                     stream_rows=tuple(stream_rows), retractions=tuple(retractions))

    def _check_stream(self, tx: AppendTx, new: NewEvent, row: dict[str, Any],
                      in_batch: dict[str, dict[str, Any]], pending: int) -> None:
        stream, kind = row["stream"], events.stream_kind(row["stream"])
        version = tx.stream_version(stream) + pending
        if new.expected_version is not None and new.expected_version != version:
            raise ConcurrencyError(
                f"stream {stream} is at version {version}, the writer expected {new.expected_version}",
                f"流 {stream} 已到第 {version} 版，而写入时预期第 {new.expected_version} 版"
                "（其间有人写入过，请重新读取后再试）")
        if new.type in events.PLAN_TYPES and kind != "plan":
            raise StreamRuleError(f"{new.type} belongs in a plan/ stream, not {stream}",
                                  f"{new.type} 只能写入 plan/ 流，不能写入 {stream}")
        if new.type in events.UNIT_TYPES and stream != events.UNITS_STREAM:
            raise StreamRuleError(f"{new.type} belongs in the {events.UNITS_STREAM} stream, not {stream}",
                                  f"{new.type} 只能写入 {events.UNITS_STREAM} 流，不能写入 {stream}")
        if new.type in events.PLAN_FACT_TYPES and (kind != "plan" or version == 0):
            raise StreamRuleError(f"{new.type} belongs in the plan/ stream of an imported plan, not {stream}",
                                  f"{new.type} 只能写入已导入方案的 plan/ 流，不能写入 {stream}")
        if new.type in events.ACTIVITY_OPENING_TYPES:
            if kind != "activity":
                raise StreamRuleError(f"{new.type} belongs in an activity/ stream, not {stream}",
                                      f"{new.type} 只能写入 activity/ 流，不能写入 {stream}")
            if version:
                raise StreamRuleError(f"activity {stream} is already planned", f"活动 {stream} 已经计划过了")
        elif kind == "activity" and version == 0:
            raise StreamRuleError(f"unknown activity: {stream} has not been planned",
                                  f"没有活动 {stream}（尚未计划）", "unknown_activity")
        if new.type == "EventRetracted":
            self._check_retraction(tx, row, in_batch)

    def _check_rules(self, tx: AppendTx, row: dict[str, Any], in_batch: dict[str, dict[str, Any]]) -> None:
        """Who reports what (store/domain/rules.py): no fact after today; completion only by a lead or the
        office, reviewed where the plan asks; requests answered only by the office, once."""
        kind = row["type"]
        reviewed = kind in rules.REVIEWED_TYPES and events.stream_kind(row["stream"]) == "activity"
        plan = self._activity_plan(tx, row["stream"], in_batch) if reviewed else None
        state = self._review_state(tx, row["stream"], in_batch) if reviewed else None
        try:
            rules.check_new(kind, row["unit"], row["occurred_on"], business_today(), plan, row["stream"], self.groups,
                            payload=row["payload"], state=state, reviewed=row["schema_version"] >= 2)
        except rules.RuleError as exc:
            raise RuleRefused(exc) from None

    @staticmethod
    def _stream_facts(tx: AppendTx, stream: str, kinds: Sequence[str],
                      in_batch: dict[str, dict[str, Any]]) -> list[tuple[str, str, dict[str, Any]]]:
        """(event_id, type, payload) of a stream's events of these types, stored then in this batch."""
        rows = tx.stream_rows(stream, kinds) + [r for r in in_batch.values() if r["stream"] == stream and r["type"] in kinds]
        return [(r["event_id"], r["type"], parse_json(r["payload"]) if isinstance(r["payload"], str) else r["payload"])
                for r in rows]

    def _review_state(self, tx: AppendTx, stream: str, in_batch: dict[str, dict[str, Any]]) -> rules.ReviewState:
        """The activity's open requests, and whether its plan asks for review (store/domain/rules.py folds both)."""
        plan_id = stream.split("/")[1]
        settings = self._stream_facts(tx, events.plan_stream(plan_id), _SETTINGS_FACTS, in_batch)
        gone = {p["retracted_event_id"] for _, kind, p in settings if kind == "EventRetracted"}
        required = rules.review_required_of(p for eid, kind, p in settings if kind != "EventRetracted" and eid not in gone)
        facts = self._stream_facts(tx, stream, _REVIEW_FACTS, in_batch)
        return rules.review_state(facts, required)

    @classmethod
    def _activity_plan(cls, tx: AppendTx, stream: str, in_batch: dict[str, dict[str, Any]]) -> rules.ActivityPlan:
        """The activity's lead and partner units and its end as its standing plan events say (latest
        revision wins)."""
        payloads = cls._stream_facts(tx, stream, _PLAN_FACTS, in_batch)
        gone = {p["retracted_event_id"] for _, kind, p in payloads if kind == "EventRetracted"}
        plan = rules.ActivityPlan()
        for event_id, kind, payload in payloads:
            if kind == "EventRetracted" or event_id in gone:
                continue
            plan = rules.ActivityPlan(
                lead=payload["lead_units"] if payload.get("lead_units") is not None else plan.lead,
                partner=payload["partner_units"] if payload.get("partner_units") is not None else plan.partner,
                end=_date_or_none(payload.get("end")) if kind == "ActivityPlanned" or payload.get("end") else plan.end)
        return plan

    def _check_retraction(self, tx: AppendTx, row: dict[str, Any], in_batch: dict[str, dict[str, Any]]) -> None:
        target_id = row["payload"]["retracted_event_id"]
        target = in_batch.get(target_id) or tx.existing([target_id]).get(target_id)
        if target is None:
            raise StreamRuleError(f"no event with id {target_id} to retract",
                                  f"没有 event_id 为 {target_id} 的事件可撤回", "no_such_event")
        if target["type"] == "EventRetracted":
            raise StreamRuleError("a retraction cannot be retracted; record the fact again instead",
                                  f"{target_id} 本身是一条撤回记录，不能再撤回；请重新登记原来的事实",
                                  "retract_retraction")
        if target["stream"] != row["stream"]:
            raise StreamRuleError(f"a retraction goes into the stream of its event ({target['stream']})",
                                  f"撤回须写入原事件所在的流（{target['stream']}），不能写入 {row['stream']}")
        fragment = _retraction_fragment(target_id)
        already = tx.retraction_of(row["stream"], fragment) or any(
            r["type"] == "EventRetracted" and fragment in r["payload"]  # in-batch payloads are canonical JSON text
            for r in in_batch.values())
        if already:
            raise StreamRuleError(f"event {target_id} is already retracted", f"事件 {target_id} 已经撤回过了",
                                  "already_retracted")

    @staticmethod
    def _chain(row: dict[str, Any], position: int, prev_hash: str) -> Head:
        row["position"] = position
        row["prev_hash"] = prev_hash
        row["hash"] = envelope_hash({**row, "occurred_on": row["occurred_on"].isoformat()})
        row["payload"] = canonical_json(row["payload"])
        return Head(position, row["hash"])

    # -- reading -------------------------------------------------------------------------------

    def read(self, *, after: int = 0, upto: int | None = None, stream: str | None = None,
             types: Iterable[str] | None = None, unit: str | None = None,
             occurred_from: dt.date | None = None, occurred_to: dt.date | None = None,
             known_at: dt.datetime | None = None,
             on_unreadable: Callable[[int, str], None] | None = None) -> Iterator[StoredEvent]:
        """Events in position order, filtered in the database, payloads upcast.

        A stored row that cannot be read as an event (a date or time that is not one, a payload that
        is not JSON) is left out and handed to ``on_unreadable(position, reason)``: one bad row must
        not stop every reader of the log for good. ``verify`` names every such row.
        """
        where = []
        if stream is not None:
            where.append(EVENTS.c.stream == stream)
        if types is not None:
            where.append(EVENTS.c.type.in_(list(types)))
        if unit is not None:
            where.append(EVENTS.c.unit == unit)
        if occurred_from is not None:
            where.append(EVENTS.c.occurred_on >= occurred_from)
        if occurred_to is not None:
            where.append(EVENTS.c.occurred_on <= occurred_to)
        if known_at is not None:
            where.append(EVENTS.c.recorded_at <= format_recorded_at(known_at))
        for row in self.recorder.rows(*where, after=after, upto=upto):
            try:
                yield _row_to_stored(row)
            except Exception as exc:  # noqa: BLE001 - any malformed row: set aside, named by the caller and verify
                if on_unreadable is not None:
                    on_unreadable(row[0], f"unreadable row: {_one_line(exc)}")

    def get(self, event_id: str) -> StoredEvent | None:
        """The event with this id; None also when its row cannot be read (see ``read``)."""
        rows = list(self.recorder.rows(EVENTS.c.event_id == event_id))
        try:
            return _row_to_stored(rows[0]) if rows else None
        except Exception:  # noqa: BLE001 - the same rows read() leaves out
            return None

    def head(self) -> tuple[int, str]:
        head = self.recorder.head()
        return head.position, head.hash

    def hash_at(self, position: int) -> str | None:
        """The hash the log holds at ``position`` (None where it has none): what a board folded up to
        that position prints as its anchor, however far the log has moved on since."""
        rows = list(self.recorder.rows(after=position - 1, upto=position))
        return None if not rows else rows[0][COLUMNS.index("hash")]

    def stats(self) -> dict[str, Any]:
        raw = self.recorder.stats()
        as_text = lambda d: d if d is None or isinstance(d, str) else d.isoformat()  # noqa: E731
        return {
            "head_position": raw["head"].position,
            "head_hash": raw["head"].hash,
            "by_type": dict(sorted(raw["by_type"].items())),
            "first_occurred_on": as_text(raw["first"]),
            "last_occurred_on": as_text(raw["last"]),
        }

    # -- integrity, export, import -------------------------------------------------------------

    def verify(self, anchors: Sequence[Anchor] = (), *, watermarks: Watermarks | None = None) -> VerifyResult:
        """Recompute the chain from the stored rows; name the first position that does not hold.

        Besides the chain (``store.recording.integrity``): each anchor and the head this installation last
        verified must still be in the log with the same hash; with a signing key, every event must
        carry its seal; and every event must be one the board can fold (``store.domain.soundness``), else
        it is named. A log that passes becomes this installation's new watermark.
        """
        sound = Soundness(self.get)
        marks = watermarks or Watermarks()
        seen = marks.seen(self.recorder.identity)
        vouched = [*anchors, *([seen] if seen is not None else [])]
        wanted = {a.position for a in vouched}
        held: dict[int, str] = {}
        key = self.signing_key
        seals = self.recorder.seals() if key else {}
        unsealed: list[int] = []

        def checked() -> Iterator[dict[str, Any]]:
            for row in self.recorder.rows():
                position, digest = row[0], row[-1]
                try:
                    envelope = _envelope_of_row(row)
                except Exception as exc:  # noqa: BLE001 - a payload that is not JSON cannot be hashed
                    sound.note(position, f"unreadable row: {_one_line(exc)}")
                    envelope = {**_envelope_of_row([*row[:10], "null", *row[11:]]), "payload": row[10]}
                try:
                    sound.admit(_row_to_stored(row))
                except Exception as exc:  # noqa: BLE001
                    sound.note(position, f"unreadable row: {_one_line(exc)}")
                if position in wanted:
                    held[position] = digest
                if key and not unsealed and not integrity.seal_holds(key, digest, seals.get(position)):
                    unsealed.append(position)
                yield envelope

        result = verify_envelopes(checked())
        problems: list[tuple[int, str]] = []
        if not result.ok:
            problems.append((result.bad_position or 0, result.reason))
        if unsealed:
            problems.append((unsealed[0], "no seal by the signing key matches this event (appended or rewritten "
                                          "without the key; a store from before the key: `python -m store seal`)"))
        for anchor in vouched:
            if anchor.position > result.count and result.ok:
                problems.append((anchor.position, f"the log ends at position {result.count}, before position "
                                                  f"{anchor.position} that {anchor.source} vouches for "
                                                  "(events removed, or the table dropped)"))
            elif anchor.position in held and held[anchor.position] != anchor.hash:
                problems.append((anchor.position, f"the hash here is not the one {anchor.source} vouches for "
                                                  "(the log was rewritten)"))
        if result.ok and sound.set_aside:
            first = min(sound.set_aside)
            problems.append((first, f"set aside: {sound.set_aside[first]}"))
        if problems:
            position, reason = min(problems)
            return VerifyResult(False, result.count, result.head_hash, position, reason,
                                set_aside=tuple(sorted(sound.set_aside.items())) if result.ok else ())
        marks.advance(self.recorder.identity, result.count, result.head_hash)
        return result

    def seal_all(self) -> int:
        """Seal every event that has no seal yet, with the configured key: once, when a key is first
        configured for a store that already holds events. Returns how many were sealed."""
        key = self.signing_key
        if key is None:
            raise StoreError(f"no signing key configured (env {integrity.SIGNING_KEY_ENV} or "
                             f"{integrity.SECRETS_FILE} [signing] key)",
                             f"没有配置签名密钥（环境变量 {integrity.SIGNING_KEY_ENV}，"
                             f"或 {integrity.SECRETS_FILE} 的 [signing] key）")
        checked = self.verify()
        if not checked.ok and not checked.reason.startswith("no seal"):
            raise StoreError(f"the log does not verify at position {checked.bad_position}: {checked.reason}",
                             f"日志在位置 {checked.bad_position} 校验不通过，未加封（{checked.reason}）；"
                             "详见 python -m store verify")
        with self.recorder.appending() as tx:
            sealed = self.recorder.seals()
            rows = [(r[0], integrity.seal(key, r[-1])) for r in self.recorder.rows() if r[0] not in sealed]
            tx.seal(rows)
        return len(rows)

    def _seal(self, tx: AppendTx, rows: list[dict[str, Any]]) -> None:
        if self.signing_key is not None:
            tx.seal([(row["position"], integrity.seal(self.signing_key, row["hash"])) for row in rows])

    def export(self) -> Iterator[str]:
        """JSON Lines, one full envelope per line with its hashes, in position order."""
        for row in self.recorder.rows():
            yield canonical_json(_envelope_of_row(row))

    def import_lines(self, lines: Iterable[str]) -> int:
        """Append an export, all or nothing. Known event_ids are skipped, so re-import is a no-op.

        Every line is held to what an append of it would be held to (envelope fields, payload
        schema, stream rules, limits) before anything is written: a crafted file must not leave a
        fact in the log that the board cannot read, since the log can never drop it again. The
        file's own chain must verify too. Envelopes keep their event_id, time stamps, actor and
        unit; positions and hashes are those of this store, so an import into an empty store
        reproduces the source's head_hash exactly. Every refusal names the line.
        """
        numbered = read_envelopes(lines)
        checked = verify_envelopes(envelope for _, envelope in numbered)
        if not checked.ok:
            line = numbered[checked.bad_position - 1][0]
            raise ImportFileError(f"line {line}: the file's hash chain breaks at position {checked.bad_position}: "
                                  f"{checked.reason}",
                                  f"第 {line} 行：文件的哈希链在位置 {checked.bad_position} 处断开"
                                  f"（{chinese(checked.reason, CHAIN_REASONS_ZH)}）")
        prepared = [(number, *imported(number, envelope)) for number, envelope in numbered]
        with self.recorder.appending(self._reads_for([row for _, _, row in prepared])) as tx:
            existing = tx.existing([row["event_id"] for _, _, row in prepared])
            head = tx.head()
            rows: list[dict[str, Any]] = []
            in_batch: dict[str, dict[str, Any]] = {}
            pending: dict[str, int] = {}
            for number, new, row in prepared:
                stream = row["stream"]
                try:
                    if row["event_id"] in existing:
                        same_as_stored(row, existing[row["event_id"]], dated=True)
                        continue
                    self._check_stream(tx, new, row, in_batch, pending.get(stream, 0))
                    self._check_rules(tx, row, in_batch)
                except StoreError as exc:
                    raise ImportFileError(f"line {number}: {exc}", f"第 {number} 行：{exc.zh}") from None
                pending[stream] = pending.get(stream, 0) + 1
                row["version"] = tx.stream_version(stream) + pending[stream]
                head = self._chain(row, head.position + 1, head.hash)
                rows.append(row)
                in_batch[row["event_id"]] = row
            tx.insert(rows)
            self._seal(tx, rows)
        return len(rows)


# -- what the stream rules read, and small helpers -----------------------------------------------------

# What the rules read of a stream: a plan's review setting, an activity's open requests, its units.
_SETTINGS_FACTS = ("PlanSettingsChanged", "EventRetracted")
_REVIEW_FACTS = (*sorted(rules.REVIEWED_TYPES), "EventRetracted")
_PLAN_FACTS = ("ActivityPlanned", "ActivityRevised", "EventRetracted")


def _date_or_none(value: object) -> dt.date | None:
    """A plan payload's end: a date in this batch, ISO text once stored, None for an ongoing activity."""
    return dt.date.fromisoformat(value) if isinstance(value, str) else value if isinstance(value, dt.date) else None


def _retraction_fragment(target_id: str) -> str:
    """The part of a retraction's canonical payload that names its event (found with LIKE)."""
    return canonical_json({"retracted_event_id": target_id})[1:-1]


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0][:120]}" if text else type(exc).__name__
