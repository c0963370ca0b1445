"""A trigger's frame read off the dependency parse: where the places it governs are (its theme),
who acted (agent), who held the place before (source), who received it (recipient), whom an
attack was aimed at (target), and whether it happened at all (negation, intent, modality).

The lexicon says which grammatical role carries which argument (`Trigger.role`); the parse
says where those roles are in this sentence, in any word order, voice or clause:

    "Rebels captured A, B and C"                 theme: the object and its conjuncts
    "A, B and C came under rebel control"        theme: the subject and its conjuncts
    "A, which was declared liberated on Monday"  theme: what the relative clause is about
    "A, B and C were among the towns evacuated"  theme: the subject of the copula
    "... as the militia seized A and B"          agent: the clause's own subject
    "fighters overran the base and moved on to seize A"   agent: the subject the verbs share

Spans are character offsets in the sentence text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..nlp import per_doc, tokens_with_lower
from .lexicon import Lexicon, TriggerMatch, acts_as_verb

Span = tuple[int, int]

SUBJECTS = frozenset({"nsubj", "nsubjpass", "csubj", "expl"})
CLAUSES = frozenset({"relcl", "advcl", "ccomp", "acl", "parataxis", "xcomp", "csubj"})
# Prepositions whose object is a place of a change of hands ("took control of A", "advanced into A").
CHANGE_PREPS = frozenset({"of", "over", "into", "inside", "across", "including", "as"})
# Prepositions whose object is where an attack or clash happened.
PLACE_PREPS = frozenset({"on", "in", "at", "against", "near", "around", "inside", "into", "across",
                         "along", "outside", "toward", "towards", "over", "through", "throughout", "of",
                         "targeting", "within", "upon", "onto", "between", "north", "south", "east",
                         "west", "including"})
SOURCE_PREPS = frozenset({"from", "of", "out", "including", "as"})
RELATIVE = frozenset({"which", "that", "who", "whom", "where"})
PASSIVE_MARKS = frozenset({"auxpass", "nsubjpass"})


@dataclass(slots=True)
class Frame:
    voice: str  # active | passive | nominal
    theme: list[Span] = field(default_factory=list)
    agent: list[Span] = field(default_factory=list)
    source: list[Span] = field(default_factory=list)
    recipient: list[Span] = field(default_factory=list)
    target: list[Span] = field(default_factory=list)
    setting: list[Span] = field(default_factory=list)  # where a change happened, not what changed
    negated: bool = False
    launched: bool = False  # an offensive told as begun ("launched an offensive", "the offensive began")
    launch_dated: bool = False  # ... on a day of its own ("launched an offensive on Wednesday")
    subject_theme: bool = False  # the places are the subject (unaccusative, passive)
    victims: str | None = None  # who a killing's victims are: "civilians", "force" (armed men), None

    def holds(self, spans: list[Span], start: int) -> bool:
        return any(a <= start < b for a, b in spans)


def frame_of(doc: Any, match: TriggerMatch, lexicon: Lexicon) -> Frame:
    head = _phrase_head(doc, match)
    role = match.trigger.role
    voice = _voice(head)
    frame = Frame(voice=voice)
    own = set(match.tokens)
    if voice == "nominal":
        _nominal(frame, head, own, match, lexicon)
    elif voice == "passive" or (role == "unaccusative"):
        # (the trigger's own noun is no place: "the flag was raised over A")
        subjects = [t for t in _subjects(head) if t.i not in own]
        frame.theme = _spans(subjects)
        frame.subject_theme = True
        if role == "expel":  # "the army was driven out of A": the subject lost it
            frame.source, frame.theme = frame.theme, _spans(_prep_objects(head, own, SOURCE_PREPS))
            frame.subject_theme = False
        if voice == "passive":
            frame.agent = _core_spans(_by_agents(head))
            if role == "source":  # "A was evacuated by the army": the army left
                frame.source = frame.agent
            elif role == "transitive" and match.trigger.change:
                # "A was cleared of the militia", "A was taken from the rebels": who lost it
                frame.source = _core_spans(_prep_objects(head, own, frozenset({"of", "from"})))
        else:  # "fell to the rebels", "came under the control of the rebels"
            frame.agent = _spans(_prep_objects(head, own, frozenset({"to", "of", "by"}), deep=True))
        if not subjects and voice == "passive" and role != "expel":
            frame.theme = _spans(_objects(head, own, CHANGE_PREPS))  # "the army was forced to abandon A"
    else:
        subjects = _subjects(head)
        frame.agent = _core_spans(subjects)
        if role == "source":
            frame.source = frame.agent
            if not _distance(head):  # "withdrew 25 km from A" is a move, not A's loss
                frame.theme = _spans(_objects(head, own, SOURCE_PREPS))
            frame.recipient = _spans(_prep_objects(head, own, frozenset({"to"})))
            if not frame.theme and head.dep_ == "advcl" and not _distance(head):
                # "the SDF held A for days after the army withdrew": the place the other clause
                # names, and its subject gained it.
                governor = head.head
                frame.theme = _spans(_direct_objects(governor))
                frame.recipient = frame.recipient or _core_spans(_subjects(governor))
        elif role == "expel":
            frame.source = _spans(_direct_objects(head))
            frame.theme = _spans(_prep_objects(head, own, SOURCE_PREPS))
            if not frame.theme and head.dep_ == "advcl" \
                    and any(t.pos_ == "PRON" for t in _direct_objects(head)) \
                    and any(t.ent_type_ == "DATE" for c in head.rights for t in c.subtree):
                # "rebels reached A for the first time since the army drove them out in 2016": the
                # place the other clause names (only with a date of its own, else it is undated).
                governor = head.head
                frame.theme = _spans(_direct_objects(governor)
                                     or _prep_objects(governor, own, frozenset({"to", "into"})))
        else:
            preps = CHANGE_PREPS if match.trigger.change else PLACE_PREPS | (
                {"from"} if match.trigger.taken_from else set())
            frame.theme = _spans(_objects(head, own, preps))
            if match.trigger.change:  # "captured the airport on the outskirts of A"
                frame.setting = _spans(_prep_objects(head, own, PLACE_PREPS - CHANGE_PREPS))
            frame.source = _spans(_prep_objects(head, own, frozenset({"from"})))
            frame.recipient = _spans(_prep_objects(head, own, frozenset({"to"})))
            frame.target = _spans(_direct_objects(head) + _prep_objects(head, own, AIMED_PREPS))
    if frame.theme:  # "took several towns, including A", "bases fell, including B"
        examples = _examples(head)
        if not examples and voice == "nominal" and head.dep_ == "dobj" and lexicon.in_set("light", head.head.lemma_):
            examples = _examples(head.head)  # "carried out strikes in many points of A, including B"
        frame.theme += _spans(examples)
    frame.negated = negated(head, lexicon) or _time_reference(head) or any(
        c.dep_ == "det" and c.lower_ == "no" for i in match.tokens for c in doc[i].children)  # "no clashes"
    if not match.trigger.change or role == "source":  # ("evacuated residents from A": people moved)
        frame.victims = _victims(head, voice, own, lexicon)
    return frame


# Heads of a victim phrase that stand for the people of their "of" phrase: "two of the soldiers",
# "a member of the military police", "the bodies of three men".
_PART_OF = frozenset({"member", "one", "some", "several", "many", "dozen", "dozens", "number", "score",
                      "hundred", "hundreds", "body", "corpse", "remains", "family", "relative"})
# Who is no longer armed: "a former officer", "a retired general", "a defected soldier".
_NO_LONGER = frozenset({"former", "ex", "retired", "defected", "demobilized", "demobilised", "reconciled"})


def _victims(head: Any, voice: str, own: set[int], lexicon: Lexicon) -> str | None:
    """Who the victims of a killing or attack are: "civilians" (people without arms: "a man and his son",
    "two teachers", "a former officer"), "force" (armed men: "two soldiers", "a member of the
    military police"), or None when the phrase does not say.  The victims are the object of the
    active verb, the subject of the passive (and of "die"), the "of" phrase of the noun ("the
    killing of two soldiers"); civilians among them make it violence against civilians."""
    if voice == "passive" or head.lemma_.lower() in ("die", "dead"):
        tokens = _subjects(head)
    elif voice == "nominal":
        tokens = _prep_objects(head, own, frozenset({"of", "on", "against"}))
    else:  # (the first object and its conjuncts; a second "object" is a misparse)
        tokens = _direct_objects(head)[:1] or [  # "fired on a crowd" (not "On 3 March, ... fired")
            t for t in _prep_objects(head, own, AIMED_PREPS) if t.i > head.i][:1]
    kinds = {_victim_kind(t, lexicon) for token in tokens for t in (token, *_conjuncts(token))}
    if None in kinds:  # "assaults on the city and the camps beside it": not on the camps alone
        return None
    return "civilians" if "civilians" in kinds else "force" if "force" in kinds else None


def _victim_kind(token: Any, lexicon: Lexicon, depth: int = 0) -> str | None:
    lemma = token.lemma_.lower()
    former = any(c.lower_ in _NO_LONGER for c in token.children if c.dep_ in ("amod", "compound"))
    if former and (lemma == "member" or lexicon.in_set("force", lemma)):
        return "civilians"
    if token.pos_ == "NUM" or lemma in _PART_OF:
        inner = [c for p in token.children if p.dep_ == "prep" and p.lower_ == "of"
                 for c in p.children if c.dep_ == "pobj"]
        if inner and depth < 2:
            kind = _victim_kind(inner[0], lexicon, depth + 1)
            if kind is not None or lemma != "member":
                return kind
            # "a member of Hezbollah": a member of a named group is one of its men
            return "force" if inner[0].pos_ == "PROPN" else None
    if lexicon.in_set("civilian", lemma):
        return "civilians"
    modifiers = [c.lemma_.lower() for c in token.children if c.dep_ in ("amod", "compound")]
    if lexicon.in_set("shelter", lemma) and any(lexicon.in_set("displaced", m) for m in modifiers):
        return "civilians"  # "a displacement camp", "a refugee shelter": the people in it
    if lexicon.in_set("crew", lemma) and any(lexicon.in_set("relief", m) for m in modifiers):
        return "civilians"  # "a rescue team", "an aid convoy", "a medical crew"
    if lexicon.in_set("force", lemma) or lexicon.in_set("armed_body", lemma):
        return "force"
    return None


def _phrase_head(doc: Any, match: TriggerMatch) -> Any:
    """The word of a trigger phrase the sentence's grammar hangs on: its first, or the noun its
    first word modifies ("chlorine gas", "car bomb": "gas", "bomb")."""
    first = doc[match.head]
    if len(match.tokens) < 2 or first.dep_ not in ("compound", "amod", "nmod"):
        return first
    own = set(match.tokens)
    roots = [doc[i] for i in match.tokens if doc[i].head.i not in own or doc[i].head.i == i]
    return roots[0] if len(roots) == 1 and roots[0].pos_ in ("NOUN", "PROPN") else first


def attempted(head: Any, lexicon: Lexicon) -> bool:
    """"attempted to storm A", "failed to retake B", "an attempt to capture C": a move that was
    made and did not succeed (the governor itself not negated or modal)."""
    token = head
    for _ in range(3):
        governor = token.head
        if governor == token or token.dep_ not in ("xcomp", "acl", "advcl", "pcomp", "pobj", "prep"):
            return False
        if lexicon.in_set("attempt", governor.lemma_):
            return not negated(governor, lexicon)
        token = governor
    return False


def _time_reference(head: Any) -> bool:
    """"since the ceasefire", "since the fall of A": an earlier event used to tell time."""
    return head.dep_ == "pobj" and head.head.lower_ == "since"


def _distance(head: Any) -> bool:
    units = {"km", "kilometre", "kilometer", "mile", "metre", "meter", "kilometres", "kilometers"}
    return any(t.lemma_.lower() in units or t.lower_ in units for c in head.children for t in c.subtree
               if c.dep_ in ("npadvmod", "dobj", "advmod", "prep"))


def _voice(head: Any) -> str:
    if (head.pos_ in ("NOUN", "PROPN") and not acts_as_verb(head)) or (
            head.pos_ == "ADJ" and head.dep_ not in ("acomp", "oprd")):
        return "nominal"
    if any(c.dep_ in PASSIVE_MARKS for c in head.children):
        return "passive"
    if head.tag_ == "VBN" and head.dep_ in ("acl", "oprd", "xcomp", "amod", "conj") \
            and not any(c.dep_ in ("aux", "nsubj") for c in head.children):
        if head.dep_ != "conj" or _voice(head.head) == "passive":
            return "passive"
    return "active"


AIMED_PREPS = frozenset({"against", "on", "at"})  # what a strike or attack is aimed at
_QUANTITIES = frozenset({"dozen", "dozens", "hundred", "hundreds", "score", "scores", "series", "wave", "number",
                         "string", "spate", "round", "barrage", "volley", "salvo", "flurry", "couple"})


_LAUNCH = frozenset({"launch", "begin", "start", "mount", "open", "unleash", "kick", "initiate"})
_START = frozenset({"start", "beginning", "launch", "outset", "onset"})


def _launched(head: Any, noun: Any) -> bool:
    """Whether an offensive is told as begun: "launched an offensive", "the offensive began",
    "the start of the operation" (not its name, its aim or its plan)."""
    governor = noun.head
    if any(c.dep_ == "mark" and c.lower_ in _TEMPORAL for c in governor.children):
        return False  # "before Russia launched its offensive": a time
    if head.dep_ == "pobj" and head.head.head.dep_ == "pobj" and not _dated(head, head.head.head):
        return False  # "at the start of the offensive" is a time; "since the start of the
        # offensive on 27 November" still tells when it began
    if noun.dep_ == "dobj" and governor.lemma_.lower() in _LAUNCH:
        return True
    if noun.dep_ in ("nsubj", "nsubjpass") and governor.lemma_.lower() in _LAUNCH:
        return True
    if any(c.dep_ == "relcl" and c.lemma_.lower() in _LAUNCH for c in head.children):
        return True  # "the offensive that began on Wednesday"
    return head.dep_ == "pobj" and head.head.lower_ == "of" and head.head.head.lemma_.lower() in _START


def _start_of(head: Any) -> list[Any]:
    """"the start of the offensive": the start, and the verb telling it ("announced the start")."""
    if head.dep_ == "pobj" and head.head.lower_ == "of" and head.head.head.lemma_.lower() in _START:
        start = head.head.head
        return [start, start.head] if start.dep_ == "dobj" else [start]
    return []


def _dated(*heads: Any) -> bool:
    """Whether a phrase names its own day: "the offensive on 27 November", "Thursday's assault"."""
    for head in heads:
        for child in head.children:
            if child.ent_type_ in ("DATE", "TIME") or (child.dep_ == "prep" and any(
                    c.ent_type_ in ("DATE", "TIME") for c in child.children)):
                return True
    return False


def _nominal(frame: Frame, head: Any, own: set[int], match: TriggerMatch, lexicon: Lexicon) -> None:
    """"the fall of A", "Russian airstrikes on A", "clashes erupted in A", "launched strikes on A"."""
    preps = frozenset({"of"}) if match.trigger.change else PLACE_PREPS
    theme = _prep_objects(head, own, preps)
    if match.trigger.needs != "place":  # ("the Idlib offensive" is a campaign's name)
        theme += [c for c in head.children if c.dep_ == "compound" and c.pos_ == "PROPN"]
    agent = _prep_objects(head, own, frozenset({"by"}))
    agent += [c for c in head.children if c.dep_ in ("poss", "amod", "compound", "nmod") and c.i not in own
              and c not in theme]
    noun = head
    if head.dep_ == "pobj" and head.head.lower_ == "of" and head.head.head.lemma_.lower() in _QUANTITIES:
        noun = head.head.head  # "carried out dozens of airstrikes on A": the quantity is the object
    governor = noun.head
    target = _prep_objects(head, own, AIMED_PREPS)
    if governor != noun and governor.pos_ in ("VERB", "AUX") and lexicon.in_set("light", governor.lemma_):
        # The light verb's own places, targets and subject belong to the event.
        if not match.trigger.change:
            theme += _prep_objects(governor, own | {head.i, noun.i}, PLACE_PREPS)
            target += _prep_objects(governor, own | {head.i, noun.i}, AIMED_PREPS)
        if noun.dep_ in ("dobj", "attr"):
            agent += _subjects(governor)
        elif noun.dep_ in SUBJECTS:
            pass  # "clashes erupted in A": no agent in the verb
    frame.launched = _launched(head, noun)
    # Its own day: on the offensive, the verb that launches it, "that began on ...", "the start
    # of ..." (not a day of another event: "launched following the capture of A on 5 May").
    frame.launch_dated = frame.launched and _dated(
        head, noun, noun.head, *(c for c in head.children if c.dep_ == "relcl"), *_start_of(head))
    if match.trigger.change == "withdrawal" or match.trigger.role == "source":
        frame.source = _spans(agent)
        theme += _prep_objects(head, own, frozenset({"from"}))
    frame.theme = _spans(theme)
    frame.agent = _spans(agent)
    frame.target = _spans(target)


def _subjects(head: Any) -> list[Any]:
    """The subject(s) of a verb: its own, else the one it shares with the verb it is coordinated
    with or complements ("overran the base and moved on to seize A"); a relative pronoun stands for
    what the clause is about; "were among the towns evacuated": the copula's subject."""
    token = head
    for _ in range(6):
        found = [c for c in token.children if c.dep_ in SUBJECTS]
        if found:
            subject = found[0]
            if subject.lower_ in RELATIVE and token.dep_ == "relcl":
                return [_named(_appositive_owner(token.head))]
            if subject.pos_ == "PRON" and token.dep_ in ("ccomp", "advcl", "conj") \
                    and subject.lower_ in ("they", "it", "we", "he", "she"):
                token = token.head  # "the rebels announced they now control A": the speaker
                continue
            # A second subject the parser found is another conjunct only when "and" joins them
            # ("A, B, and C have been evacuated"), not a piece of a name ("al-Assad").
            joined = [o for o in found[1:] if o.pos_ in ("PROPN", "NOUN")
                      and any(t.dep_ == "cc" for t in o.doc[found[0].i:o.i])]
            subjects = [subject, *_conjuncts(subject), *joined]
            return sorted(set(subjects), key=lambda t: t.i)
        if token.dep_ == "relcl":
            return [_named(token.head)]
        if token.dep_ == "acl" and token.tag_ == "VBG" and token.head.pos_ in ("NOUN", "PROPN"):
            return [token.head]  # "the army recapturing A and B": the noun acts
        if token.dep_ == "pcomp" and token.head.dep_ == "prep":
            if token.head.lower_ in ("with", "without"):  # "with the army recapturing A"
                nouns = [c for c in token.head.children if c.dep_ == "pobj"] + \
                        [c for c in token.children if c.dep_ == "aux" and c.pos_ in ("PROPN", "NOUN")]
                if nouns:
                    return [nouns[0], *_conjuncts(nouns[0])]
            token = token.head.head  # "succeeded in recapturing A"
            continue
        if token.dep_ == "acl" and token.head.pos_ in ("NOUN", "PROPN"):
            noun = token.head
            copula = noun.head
            if noun.dep_ == "pobj" and copula.dep_ == "prep":
                copula = copula.head
            if noun.dep_ in ("attr", "pobj") and copula.pos_ in ("AUX", "VERB"):
                inner = [c for c in copula.children if c.dep_ in SUBJECTS]
                if inner:
                    return [inner[0], *_conjuncts(inner[0])]
            return [noun]
        if token.dep_ in ("conj", "xcomp", "advcl", "oprd", "acomp", "ccomp") and token.head != token:
            token = token.head
            continue
        break
    return []


def _appositive_owner(noun: Any) -> Any:
    """"A, the capital of B state, which the militia had seized": the clause is about A, which the
    apposition describes, not about the province named in it."""
    if noun.dep_ == "pobj" and noun.head.lower_ == "of" and noun.head.head.dep_ == "appos":
        return noun.head.head.head
    if noun.dep_ == "appos" and noun.head.pos_ == "PROPN":
        return noun.head
    return noun


def _conjuncts(token: Any) -> list[Any]:
    return [t for t in token.conjuncts if t.i > token.i]


def _named(noun: Any) -> Any:
    """"A is a market town that has been held by ...": the clause is about A, which the copula
    names, not about "a market town"."""
    if noun.dep_ == "attr" and noun.head.lemma_ == "be":
        subject = next((c for c in noun.head.children if c.dep_ == "nsubj"), None)
        if subject is not None:
            return subject
    return noun


def _direct_objects(head: Any) -> list[Any]:
    found = [c for c in head.children if c.dep_ in ("dobj", "attr", "oprd")]
    if any(c.lower_ in ("which", "that", "whom") for c in found):
        # "A, which Russian forces seized last week", "A, which Russia said it had captured":
        # the object is what the relative clause is about.
        clause = head
        while clause.dep_ in ("ccomp", "xcomp", "conj") and clause.head != clause:
            clause = clause.head
        if clause.dep_ == "relcl":
            antecedent = _appositive_owner(clause.head)
            if antecedent.dep_ == "pobj" and antecedent.head.lower_ in ("in", "near") \
                    and antecedent.head.head.pos_ in ("NOUN", "PROPN") and antecedent.ent_type_ in ("GPE", "LOC"):
                # "the village of A in eastern Ukraine, which Russia said it had captured": the
                # village, not the country it lies in
                antecedent = _named(antecedent.head.head)
            found = [c for c in found if c.lower_ not in ("which", "that", "whom")] + [antecedent]
    if not found and not any(c.dep_ in SUBJECTS for c in head.children):
        # "entered and secured A": coordinated verbs share the object (not a verb with a
        # subject of its own: "the army entered A, and the rebels withdrew").
        for verb in head.conjuncts:
            found = [c for c in verb.children if c.dep_ in ("dobj", "attr")]
            if found:
                break
    return found


def _objects(head: Any, own: set[int], preps: frozenset[str]) -> list[Any]:
    return _direct_objects(head) + _prep_objects(head, own, preps) + _gapped(head)


def _gapped(head: Any) -> list[Any]:
    """"captured A on 14 October and B on 19 November": the parser joins B to the date; B is
    another object of the same verb."""
    found = []
    for prep in head.children:
        if prep.dep_ != "prep":
            continue
        for obj in prep.children:
            if obj.dep_ == "pobj" and obj.ent_type_ in ("DATE", "TIME"):
                found.extend(c for c in obj.conjuncts if c.ent_type_ not in ("DATE", "TIME")
                             and c.pos_ in ("PROPN", "NOUN") and c.i > obj.i)
    return found


def _prep_objects(head: Any, own: set[int], preps: frozenset[str], deep: bool = False) -> list[Any]:
    """Objects of the given prepositions attached to the trigger or to its own words ("took
    control of A": "of" hangs on "control"); `deep`: also inside those ("into the hands of A")."""
    found = []
    hosts = [head] + [head.doc[i] for i in sorted(own) if i != head.i]
    for host in hosts:
        for child in host.children:
            if child.i in own and child != head:
                if child.dep_ == "prep" and child.lower_ in preps:  # "fired on A": the phrase's own "on"
                    found.extend(c for c in child.children if c.dep_ in ("pobj", "pcomp") and c.i not in own)
                continue
            if child.dep_ in ("prep", "agent", "prt", "advmod") and child.lower_ in preps:
                objects = [c for c in child.children if c.dep_ in ("pobj", "pcomp")]
                for obj in objects:
                    found.append(obj)
                    if deep:
                        for inner in obj.children:
                            if inner.dep_ == "prep" and inner.lower_ in preps:
                                found.extend(c for c in inner.children if c.dep_ == "pobj")
                # "pulled out of A": "out" (particle) then "of" hangs on the verb or on "out".
                for inner in child.children:
                    if inner.dep_ == "prep" and inner.lower_ in preps:
                        found.extend(c for c in inner.children if c.dep_ == "pobj")
    return found


def _by_agents(head: Any) -> list[Any]:
    return [c for a in head.children if a.dep_ == "agent" for c in a.children if c.dep_ == "pobj"]


def _spans(tokens: list[Any]) -> list[Span]:
    """Each token's phrase: its subtree without clauses of its own (a relative clause about it
    names other things)."""
    spans = []
    for token in tokens:
        spans.extend(_phrase_spans(token))
    return spans


def _core_spans(tokens: list[Any]) -> list[Span]:
    """Each token's own stretch of its phrase: "Fighters in Syria who have overthrown President
    al-Assad" is the fighters, not the pieces of the clause the parser left outside it."""
    spans = []
    for token in tokens:
        spans.extend(span for span in _phrase_spans(token) if span[0] <= token.idx < span[1])
    return spans


def _phrase_spans(token: Any) -> tuple[Span, ...]:
    """The token's phrase as spans of the sentence, worked out once per token of a parse."""
    known: dict[int, tuple[Span, ...]] = per_doc(token.doc, "phrases", dict)
    found = known.get(token.i)
    if found is None:
        found = known[token.i] = tuple(_phrase_spans_of(token))
    return found


def _phrase_spans_of(token: Any) -> list[Span]:
    skip: set[int] = set()
    for child in token.subtree:
        if child != token and ((child.dep_ in CLAUSES and child.pos_ in ("VERB", "AUX"))
                                   or _is_including(child) or (child.dep_ == "prep" and child.lower_ == "as")):
            # ("A as B, C and D met": "as" gives a role or a time, never more of the phrase)
            skip.update(t.i for t in child.subtree)
    spans: list[Span] = []
    start = end = None
    previous = None
    for t in token.subtree:
        if t.i in skip or (previous is not None and t.i != previous + 1):
            if start is not None:
                spans.append((start, end))
                start = None
        previous = t.i
        if t.i in skip:
            continue
        if start is None:
            start, end = t.idx, t.idx + len(t.text)
        elif not t.is_punct or t.i < token.i:  # no trailing comma: "Marinka, which ..."
            end = t.idx + len(t.text)
    if start is not None:
        spans.append((start, end))
    return spans


_INCLUDING_WORDS = frozenset({"including", "as"})


def _is_including(token: Any) -> bool:
    return token.dep_ == "prep" and (token.lower_ == "including" or (
        token.lower_ == "as" and any(c.lower_ == "such" for c in token.children)))


def _examples(head: Any) -> list[Any]:
    """"withdrew from several towns, including A, B and C": the examples of the clause, wherever
    the parser hung them."""
    found = []
    sentence = head.sent
    for token in tokens_with_lower(head.doc, _INCLUDING_WORDS):
        if not sentence.start <= token.i < sentence.end or not _is_including(token):
            continue
        ancestor, ok = token.head, True
        while ancestor != head and ancestor.head != ancestor:
            if ancestor.dep_ in CLAUSES and ancestor.pos_ in ("VERB", "AUX"):
                ok = False
                break
            ancestor = ancestor.head
        if ok and ancestor == head:
            found.extend(c for c in token.children if c.dep_ == "pobj")
    return found


_CAUSATIVE = frozenset({"have", "make", "let"})  # "to have the rebels leave A"


def negated(head: Any, lexicon: Lexicon) -> bool:
    """Whether the trigger tells something that did not happen: negated ("did not capture",
    "had not yet entered"), modal ("could fall", "the fall of A would deal a blow"), or an aim or
    attempt ("failed to capture", "an attempt to retake", "in order to cut", "prevented them from
    entering", "demanded that the fighters leave")."""
    modal = lexicon.lemma_sets.get("modal", frozenset())
    token = head
    if head.pos_ in ("NOUN", "PROPN") and head.dep_ in ("nsubj", "nsubjpass") and (
            _has_aux(head.head, modal) or any(c.dep_ == "acomp" and lexicon.in_set("intent", c.lemma_)
                                              for c in head.head.children)
            or (head.dep_ == "nsubjpass" and lexicon.in_set("intent", head.head.lemma_))):
        return True  # "an offensive could begin", "offensives towards A are unlikely", "... is expected"
    if head.dep_ in ("pobj", "pcomp") and head.head.lower_ == "without":
        return True  # "left the city without a fight", "entered A without fighting"
    if under_noun(head, lexicon, "cessation", frozenset({"to", "of", "on"})):
        return True  # "called for a halt to the fighting", "the cessation of hostilities"
    if under_noun(head, lexicon, "arrangement", frozenset({"on", "for", "over", "about", "regarding"})):
        return True  # "reached an agreement on the handover of A", "talks over the withdrawal from B"
    if head.pos_ in ("NOUN", "PROPN") and head.dep_ in ("dobj", "pobj"):
        # "preparing to join the offensive", "did not launch strikes": the verb it is the object of.
        verb = head.head.head if head.dep_ == "pobj" and head.head.dep_ == "prep" else head.head
        if verb.pos_ in ("VERB", "AUX") and verb != head and negated(verb, lexicon):
            return True
    for _ in range(5):
        if any(c.dep_ == "neg" for c in token.children) or _has_aux(token, modal):
            return True
        governor = token.head
        if governor == token:
            return False
        infinitive = any(c.dep_ == "aux" and c.lower_ == "to" for c in token.children)
        temporal = any(c.dep_ == "mark" and c.lower_ in _TEMPORAL for c in token.children)
        # "blocked the road to protest power cuts", "gathered to protest": the act itself
        acting = infinitive and token.dep_ == "advcl" and lexicon.in_set("protest", token.lemma_)
        if token.dep_ in ("xcomp", "advcl", "acl", "ccomp") and not temporal and not acting:
            if infinitive and any(c.dep_ == "advmod" and c.lower_ == "yet" for c in governor.children):
                return True  # "has yet to capture A", "A is yet to fall"
            if lexicon.in_set("intent", governor.lemma_) and not _sequence(governor, lexicon):
                return True
            if governor.lemma_.lower() == "order" and governor.dep_ == "pobj":  # "in order to"
                return True
            if infinitive and token.dep_ == "advcl" and not _sequence(governor, lexicon):
                return True  # a purpose clause: "... to cut the road"
            if governor.lemma_ == "be" and any(c.dep_ in SUBJECTS and lexicon.in_set("intent", c.lemma_)
                                               for c in governor.children):
                return True  # "the plan was to seize A", "the aim is to encircle A"
        if token.dep_ == "pcomp" and governor.dep_ == "prep" and governor.lower_ in ("from", "of") \
                and lexicon.in_set("intent", governor.head.lemma_):
            return True  # "prevented them from entering", "the threat of storming"
        own_clause = any(c.dep_ in SUBJECTS or (c.dep_ == "aux" and c.lower_ != "to") for c in token.children)
        if token.dep_ == "conj" and not own_clause:
            token = governor  # "will advance and take A": the modality is shared
            continue
        if token.dep_ in ("xcomp", "ccomp") and infinitive:
            token = governor  # "did not manage to take": the negation of the governor
            continue
        if token.dep_ == "ccomp" and governor.lemma_.lower() in _CAUSATIVE:
            token = governor  # "a deal was reached to have the rebels leave A": what "have" is
            continue
        if token.dep_ in ("advcl", "dep") and token.tag_ == "VBG" and not own_clause and not temporal:
            token = governor  # "to proceed in phases, first seizing A": the participle shares it
            continue
        return False
    return False


def under_noun(head: Any, lexicon: Lexicon, kind: str, preps: frozenset[str] | None = None) -> bool:
    """Whether a word is the object of a preposition (one of `preps`, or any) hanging on a noun
    of the lemma set `kind` ("a halt to the fighting": cessation, "to")."""
    prep = head.head
    return (head.dep_ == "pobj" and (preps is None or prep.lower_ in preps) and prep.head.pos_ == "NOUN"
            and lexicon.in_set(kind, prep.head.lemma_))


# A clause opened by these tells its own event, whatever the clause it hangs on intends:
# "the army is trying to advance, while warplanes struck A".
_TEMPORAL = frozenset({"while", "as", "after", "when", "because", "since", "although", "though",
                       "whereas", "before", "until", "once"})


def _has_aux(token: Any, modal: frozenset[str]) -> bool:
    return any(c.dep_ == "aux" and c.lemma_.lower() in modal for c in token.children)


def _sequence(governor: Any, lexicon: Lexicon) -> bool:
    """"moved on to seize", "went on to capture", "used the lull to retake": what happened next."""
    if lexicon.in_set("sequence", governor.lemma_):
        return True
    return any(c.dep_ == "prt" and c.lower_ == "on" for c in governor.children)
