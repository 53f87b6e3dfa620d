"""People, bodies and firms named in a source, who says what, and the stances stated: the
rules ``briefing draft`` finds stakeholders by (docs/design.md §9). No model and no network:
capitalised sequences read with lists of titles, organisation words and stop words.

- **Names** are runs of capitalised words, joined by "of", "for", "and", "the", "&"
  ("Department for Education", "Overview and Scrutiny Committee"). A run is split at "and
  the", at a possessive unless an organisation word follows ("Information Commissioner's
  Office" stays whole; "Home Office's Safer Streets Fund" is "Home Office"), and between a
  person and the body after "of" ("Chief Superintendent Helen Okafor of Northshire
  Police"). Leading words of a document's headings ("Report of the", "Summary") are dropped.
- A run is **a body** when it ends with an organisation word (Ltd, plc, Inc, Council,
  Authority, Commission, Committee, Office, Police, Constabulary, Service, Agency,
  Department, Ministry, University, Institute, Trust, Group, Network, Watch, LLP, ...) or
  starts with one followed by "of"/"for" ("Ministry of Justice", "Court of Appeal"); **a
  person** when a title starts it (Dr, Cllr, Chief Constable, Professor, Dame, Lord, Ms ...)
  or a cue says so: a role beside it ("Rebecca Onyango, director of ...", "a local
  councillor, Tom Reyes"), "Ms Quinn" later; **a role** when it is a title alone ("Director
  of Community Safety"). A single word is a name when it is capitalised inside a sentence
  somewhere and acts ("Liberty said", "Parliament has passed") or is named again, or is an
  abbreviation a name defines ("the Information Commissioner's Office (ICO)"). Places,
  months, weekdays, nationalities and common words alone are not names.
- **The same one named differently** is merged: a surname alone or with a title after the
  full name ("Ms Quinn"), a role beside a name ("The Information Commissioner, John
  Edwards"), an abbreviation defined in brackets, the first word or its start ("Brightpath"
  after "Brightpath Data Ltd", "the Met" after "the Metropolitan Police"), a firm with and
  without its legal suffix ("Datasift Analytics" and "Datasift Analytics Ltd."), and an
  organisation word alone ("the Committee" when one committee is named).
- **Kind** is guessed only from clear cues: a title (Chief Constable: police; Cllr,
  Minister, MP: government; Professor: academia; Judge: judiciary), an organisation word
  (Police: police; Council, Ministry, Department, Committee: government; Commissioner's
  Office, Commission: regulator; Ltd, plc, Inc: vendor; University, Institute: academia;
  Court: judiciary; Watch, Network, charity: civil society) or a noun beside the name
  ("the campaign group Liberty", "the U.S. company ClearView"); else ``unknown``.
- **Who says it** (:func:`attribution`): "according to X", "X said/told/warned/argued ...",
  "..., said X", "critics claim", a pronoun, "a spokesperson" or "the force"/"the council"/
  "the group" taken back to the last one named, a quotation going on from the sentence before, and "we" (the
  source's authors).
- **Stance** only where the text states one for them: they "opposed", "criticised",
  "blocked", "rejected", "called for ... to be halted" (opposes), "welcomed", "backed",
  "supported", "endorsed", "praised" (supports), as the subject of the verb or after "by";
  of a stop ("welcomed the pause") the other way, and of "the decision" alone, none.
  Stances that disagree leave it unknown.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

# --- word lists --------------------------------------------------------------------------

TITLES = {
    "mr": "",
    "mrs": "",
    "ms": "",
    "miss": "",
    "dr": "",
    "sir": "",
    "dame": "",
    "lady": "",
    "lord": "",
    "baroness": "",
    "baron": "",
    "prof": "academia",
    "professor": "academia",
    "cllr": "government",
    "councillor": "government",
    "mayor": "government",
    "minister": "government",
    "secretary": "government",
    "judge": "judiciary",
    "justice": "judiciary",
    "chief constable": "police",
    "deputy chief constable": "police",
    "assistant chief constable": "police",
    "chief superintendent": "police",
    "superintendent": "police",
    "chief inspector": "police",
    "inspector": "police",
    "sergeant": "police",
    "detective": "police",
    "constable": "police",
    "commander": "police",
    "commissioner": "",
    "police and crime commissioner": "government",
    "information commissioner": "regulator",
    "prime minister": "government",
    "home secretary": "government",
    "secretary of state": "government",
    "attorney general": "government",
    "chancellor": "government",
    "deputy commissioner": "",
    "chief executive": "",
    "chief executive officer": "",
    "chief operating officer": "",
    "chief technology officer": "",
    "director": "",
    "chair": "",
    "chairman": "",
    "chairwoman": "",
    "president": "",
    "rev": "",
    "sen": "government",
    "senator": "government",
    "rep": "government",
    "representative": "government",
    "gov": "government",
    "governor": "government",
    "administrator": "",
    "lt": "",
    "col": "",
    "gen": "",
    "capt": "",
    "det": "police",
    "sgt": "police",
    "supt": "police",
    "insp": "police",
    "rt hon": "government",
    "the rt hon": "government",
    "right honourable": "government",
    "the right honourable": "government",
}

ROLE_TITLES = {"commissioner", "deputy commissioner", "chief executive", "director", "chair", "mayor", "minister"}
# The words an organisation's name ends with, and the kind each says it is ("" for none).
ORG_WORDS = {
    "ltd": "vendor",
    "limited": "vendor",
    "plc": "vendor",
    "inc": "vendor",
    "llp": "vendor",
    "llc": "vendor",
    "corp": "vendor",
    "corporation": "vendor",
    "company": "vendor",
    "technologies": "vendor",
    "systems": "vendor",
    "solutions": "vendor",
    "council": "government",
    "authority": "government",
    "cabinet": "government",
    "parliament": "government",
    "government": "government",
    "commission": "regulator",
    "committee": "government",
    "office": "government",
    "ministry": "government",
    "department": "government",
    "agency": "government",
    "executive": "government",
    "police": "police",
    "constabulary": "police",
    "service": "",
    "services": "",
    "collaboration": "",
    "university": "academia",
    "institute": "academia",
    "college": "academia",
    "court": "judiciary",
    "tribunal": "judiciary",
    "trust": "",
    "group": "",
    "foundation": "civil society",
    "network": "civil society",
    "forum": "civil society",
    "watch": "civil society",
    "coalition": "civil society",
    "alliance": "civil society",
    "campaign": "civil society",
    "association": "",
    "union": "",
    "board": "",
    "partnership": "",
    "centre": "",
    "center": "",
    "laboratory": "academia",
    "laboratories": "academia",
    "society": "",
    "charity": "civil society",
    "inquiry": "",
    "ombudsman": "regulator",
    "regulator": "regulator",
    "hospital": "",
    "school": "",
    "academy": "",
    "clinic": "",
}
# Organisation words that are names by themselves ("Parliament has passed").
# The first word of a role written in brackets after a person's name ("(Head of Legal Services)").
ROLE_HEADS = {
    "cabinet", "head", "director", "chair", "leader", "member", "officer", "manager", "secretary", "minister",
    "lead", "chief", "deputy", "assistant", "portfolio", "executive", "clerk", "monitoring",
}  # fmt: skip
# Words that end a body's name and say what it is: a name ending in one is a body by itself.
BODY_ENDS = {
    "office", "council", "ministry", "department", "agency", "trust", "university", "commission", "committee",
    "authority", "constabulary", "service", "ombudsman", "board", "inspectorate", "tribunal", "court",
    "regulator", "police", "executive", "institute", "foundation", "network", "forum",
}  # fmt: skip
NAMES_ALONE = {"parliament", "cabinet", "government", "congress", "senate"}
# Organisation words that start a name before "of"/"for" ("Ministry of Justice").
LEADING_ORG_WORDS = {
    "ministry",
    "department",
    "university",
    "court",
    "office",
    "institute",
    "board",
    "council",
    "college",
    "bank",
    "house",
    "chamber",
}
# Nouns that say what a name beside them is ("the campaign group Liberty").
KIND_NOUNS = (
    (
        r"civil liberties group|campaign group|pressure group|charity|campaigners?|think tank|rights group|ngo",
        "civil society",
    ),
    (r"company|firm|supplier|vendor|contractor|provider|developer", "vendor"),
    (r"regulator|watchdog|information commissioner", "regulator"),
    (r"researcher|academic|professor|lecturer|scientist|university", "academia"),
    (r"councillor|minister|mp|mayor|council|cabinet|government|secretary", "government"),
    (r"force|police|constable|officer", "police"),
    (r"judge|court|magistrate", "judiciary"),
)
PERSON_ROLE_NOUNS = (
    r"director|chair|chairman|chairwoman|chief executive|head|leader|spokesperson|spokeswoman|spokesman|minister|"
    r"secretary|councillor|mp|researcher|professor|lecturer|officer|commissioner|mayor|judge|lawyer|barrister|"
    r"solicitor|campaigner|founder|president|executive|manager|analyst|expert|resident|shopkeeper|parent|member|"
    r"deputy|superintendent|constable|inspector|sergeant|academic|author|economist|scientist|adviser|advisor"
)
PLACES = set(
    "london england scotland wales britain uk u.k u.s us usa america europe eu ireland northern united kingdom "
    "states birmingham manchester leeds liverpool glasgow edinburgh cardiff belfast bristol sheffield "
    "newcastle nottingham leicester oxford cambridge brussels washington paris berlin albans county city "
    "borough street road avenue high south north east west".split()
)
NATIONALITIES = set(
    "british english scottish welsh irish american european french german black white asian african "
    "caribbean muslim jewish christian hindu sikh chinese indian".split()
)
MONTH_WORDS = set(
    "january february march april may june july august september october november december jan feb mar apr jun "
    "jul aug sep sept oct nov dec monday tuesday wednesday thursday friday saturday sunday".split()
)
# Capitalised words that are not names by themselves (sentence starters, document words).
COMMON = set(
    "the a an in on at for but however this that these those it its he she they we our their his her after "
    "before following under over between from to by with without as if when while since yet and or also some "
    "many most all every each one two three four five six seven eight nine ten overall critics residents "
    "speaker gentleman lady reviewers officer officers witnesses proposals cameras questions notes councils forces defendants people there here what "
    "who why how where which no not yes mr mrs ms dr summary background costs risks recommendation procedure "
    "duration description award review report notice press release contract information additional date "
    "reprimand statement decision review procedures contracting authority annex appendix table figure section "
    "article part schedule chapter clause page paragraph act bill regulations order rules guidance framework "
    "strategy plan policy programme project pilot scheme fund tool platform system data gdpr vat ai cctv anpr "
    "lfr covid it's we're i you your my me us them any both either neither such other another same new old "
    "first second third last next final local national public private independent chief deputy senior "
    "junior assistant acting former interim general special legal civil".split()
)
DOCUMENT_WORDS = set(
    "report summary notice reprimand statement press release contract award background costs risks "
    "recommendation procedure procedures duration description date decision notes response submission "
    "evidence consultation briefing memo minutes agenda".split()
)
# Words a run of capitalised words may start with that are not part of a name.
LEADING_NOISE = set(
    "a an the this that these those however but and or in on at for by with from after before following under "
    "as if when while our their its his her yesterday today last next yet so also meanwhile later earlier then "
    "separately instead now again about".split()
)
# Organisation words written in lower case after a name ("Northgate Analytics plc").
LOWER_ORG_WORDS = {"plc", "ltd", "llp", "inc", "limited"}
LEGISLATION_WORDS = {"act", "bill", "regulations", "order", "rules", "directive", "code", "convention", "gdpr"}
CONNECTORS = {"of", "for", "and", "the", "&", "on", "de", "du", "von", "van", "der", "da", "le", "la"}
ABBREVIATIONS = {
    "dr", "cllr", "st", "mr", "mrs", "ms", "prof", "inc", "ltd", "co", "corp", "jr", "sr", "rev", "no", "rt", "hon",
    "sen", "rep", "gov", "lt", "col", "gen", "capt", "det", "sgt", "supt", "insp",
}  # fmt: skip

SPEECH_VERBS = (
    r"said|says|say|saying|told|tells|replied|replies|answered|answers|confirmed|confirms|warned|warns|warn|warning|argued|argues|argue|arguing|adding|claiming|claimed|claims|claim|added|adds|"
    r"stated|states|insisted|insists|believes|believe|believed|suggested|suggests|estimated|estimates|reported|"
    r"reports|announced|announces|noted|notes|explained|explains|admitted|admits|acknowledged|acknowledges|"
    r"maintained|maintains|found|finds|concluded|concludes|wrote|writes|described|describes|urged|urges|fear|"
    r"fears|feared|alleged|alleges|complained|complains|questioned|questions|criticised|criticized|criticises|"
    r"raised|raises|expressed|expresses|flagged|flags|highlighted|highlights|heard|pointed out|points out|"
    r"calls? (?:for|on)|called (?:for|on)|opposed|opposes|rejected|rejects|condemned|condemns|singled out|singles out"
)
GROUP_SPEAKERS = (
    r"critics|campaigners|opponents|residents|councillors|officers|experts|academics|researchers|unions|"
    r"patient groups|parent groups|community groups|parents|patients|doctors|nurses|teachers|families|"
    r"privacy groups|civil liberties groups|rights groups|campaign groups|witnesses|analysts|lawyers|"
    r"supporters|parents|MPs|ministers|officials|the government|the regulator|the watchdog"
)
STANCE_VERBS = {
    "supports": r"welcomed|welcomes|welcoming|backed|backs|backing|supported|supports|supporting|endorsed|endorses|"
    r"praised|praises|defended|defends|championed|champions|voted for",
    "opposes": r"opposed|opposes|opposing|criticised|criticized|criticises|criticizes|criticising|condemned|"
    r"condemns|blocked|blocks|rejected|rejects|objected|objects|vetoed|vetoes|voted against|"
    r"called for (?:it|them|the \w+|this|its use)? ?to be (?:halted|scrapped|stopped|suspended|dropped|banned)|"
    r"calls? (?:on [^.;]{1,60}? )?(?:for (?:a |an |the )?(?:halt|ban|suspension|moratorium)|to (?:suspend|halt|stop|scrap|ban))",
}


@lru_cache(maxsize=65536)
def fold(name: str) -> str:
    """A name for comparing: no accents, case, punctuation, leading "the", or possessive."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    text = re.sub(r"['’]s\b", "", text)
    text = re.sub(r"(?<=[a-z])['’](?=[a-z])", "", text)  # "O'Neill": one word
    text = re.sub(r"[^a-z0-9]+", " ", text).strip()
    return re.sub(r"^the ", "", text)


# --- sentences and mentions ----------------------------------------------------------------


@dataclass(frozen=True)
class Sentence:
    paragraph: int  # from 1
    number: int  # from 1 within its paragraph
    text: str

    @property
    def ref(self) -> tuple[int, int]:
        return (self.paragraph, self.number)


@dataclass
class Entity:
    name: str
    person: bool = False
    role_only: bool = False  # a post named by its title alone ("Director of Community Safety")
    kind: str = "unknown"
    forms: set[str] = field(default_factory=set)  # folded names it goes by
    surname: str = ""
    mentions: list[tuple[int, int, int, int]] = field(default_factory=list)  # (paragraph, sentence, start, end)
    merged_into: int | None = None  # another name of that entity, found beside it

    def add(self, sentence: Sentence, start: int, end: int) -> None:
        spot = (sentence.paragraph, sentence.number, start, end)
        if spot not in self.mentions:
            self.mentions.append(spot)


@dataclass(frozen=True)
class _Run:
    start: int
    end: int
    words: tuple[tuple[int, int, str], ...]  # (start, end, text) of each word, connectors included

    def text(self, sentence: str) -> str:
        return sentence[self.start : self.end]


_WORD = re.compile(r"(?:[A-Z]\.){2,}|[A-Za-z][A-Za-z'’\-]*(?:\.(?=\s|,|$))?|&")
_QUOTES = "\"'“”‘’("


def _clean_word(word: str) -> str:
    """The word without a final full stop, unless the stop is part of it ("Dr.", "U.S.")."""
    if re.fullmatch(r"[A-Z]\.", word):
        return word  # an initial: "Helen R. Carver"
    if word.endswith(".") and word[:-1].lower().replace(".", "") not in ABBREVIATIONS and word.count(".") == 1:
        return word[:-1]
    return word


def _capitalised(word: str) -> bool:
    return word[:1].isupper()


def runs(text: str) -> list[_Run]:
    """Runs of capitalised words (with connectors inside) in one sentence."""
    found: list[_Run] = []
    current: list[tuple[int, int, str]] = []

    def close() -> None:
        while current and current[-1][2].lower() in CONNECTORS:
            current.pop()
        while current and current[0][2].lower() in CONNECTORS:
            current.pop(0)
        if current:
            found.append(_Run(current[0][0], current[-1][1], tuple(current)))
        current.clear()

    for match in _WORD.finditer(text):
        raw = match.group()
        word = _clean_word(raw)
        start, end = match.start(), match.start() + len(word)
        joined = bool(current) and text[current[-1][1] : start] in (" ", "")
        if current and not joined:
            close()
        if _capitalised(word) or (current and (word.lower() in CONNECTORS or word in LOWER_ORG_WORDS)):
            current.append((start, end, word))
            if word != raw:  # the sentence's own full stop ends the run
                close()
        else:
            close()
    close()
    return found


def _words(run: _Run) -> list[str]:
    return [w for _, _, w in run.words]


def _lower(word: str) -> str:
    return word.lower().replace("’", "'").rstrip(".")


def _title_at(words: list[str], i: int) -> tuple[str, int]:
    """The title starting at word ``i`` (longest first) and how many words it takes."""
    for size in (4, 3, 2, 1):
        phrase = " ".join(_lower(w) for w in words[i : i + size])
        if len(words[i : i + size]) == size and phrase in TITLES:
            return phrase, size
    return "", 0


def _possessive(word: str) -> bool:
    return bool(re.search(r"['’]s?$", word)) and len(word) > 2


def split_run(run: _Run) -> list[_Run]:
    """Split a run into the names it holds (see the module's docstring)."""
    words = list(run.words)
    while len(words) > 1 and (_lower(words[0][2]) in LEADING_NOISE or _lower(words[0][2]) in MONTH_WORDS):
        words.pop(0)  # "However", "On 23 August the Council": not part of the name
        while len(words) > 1 and words[0][2].lower() in CONNECTORS:
            words.pop(0)
    # Leading heading words: "Report of the Director ...", "Summary".
    while words and _lower(words[0][2]) in DOCUMENT_WORDS:
        words.pop(0)
        while words and words[0][2].lower() in CONNECTORS:
            words.pop(0)
    parts: list[list[tuple[int, int, str]]] = [[]]
    plain = [w for _, _, w in words]
    # Whether an organisation word or a connector comes at or after each word (read once: a
    # long run is not read again at each of its words).
    org_from = [False] * (len(words) + 1)
    for at in range(len(words) - 1, -1, -1):
        org_from[at] = org_from[at + 1] or _lower(plain[at]) in ORG_WORDS or _lower(plain[at]) in CONNECTORS
    titled: set[int] = set()  # the parts that hold a title's word
    for index, item in enumerate(words):
        word = item[2]
        low = word.lower()
        following = words[index + 1][2] if index + 1 < len(words) else ""
        current = parts[-1]
        if low == "and" and (following.lower() == "the" or _title_at(plain, index + 1)[0]):
            parts.append([])  # "... and the Home Office"; "Cllr. Eze and Cllr. Adebayo"
            continue
        title_here = _title_at(plain, index)
        if (
            index
            and current
            and title_here[0]
            and not _title_at([w for _, _, w in current[:4]], 0)[0]
            and len(parts) - 1 not in titled
            and index + title_here[1] < len(words)
            and _capitalised(words[index + title_here[1]][2])
            and not org_from[index]
            and low not in CONNECTORS
        ):
            parts.append([])  # "TSA Administrator J. R. Holloway": the body, then the person
        elif low == "of" and current and _lower(current[-1][2]) in LEGAL_SUFFIXES:
            parts.append([])  # "Veridex Systems Inc. of Reston": the firm, then where it is
            continue
        if (
            low == "and"
            and current
            and _lower(current[-1][2]) in ORG_WORDS
            and _lower(current[-1][2]) != "police"
            and not (_lower(current[-1][2]) not in BODY_ENDS and _lower(words[-1][2]) in BODY_ENDS)
        ):
            # "the Home Office and Ministry of Justice": two; but "Local Government and Social
            # Care Ombudsman" is one body, whose name runs on to the word that says what it is
            parts.append([])
            continue
        beyond = words[index + 2][2] if following.lower() == "the" and index + 2 < len(words) else following
        if low in ("of", "for") and current and _capitalised(beyond) and len(current) <= SHORT_PART:
            # (a person or a product before "of"/"for" is a few words: a longer part is not
            # read again at each "of" of a long run)
            if _person_part(current) or (
                _plain_part(current) and _org_words([words[-1][2]]) and (low == "for" or len(current) > 1)
            ):
                # "Professor Daniel Reeve of the Alan Turing Institute"; "Integrated
                # Intelligence Platform for the Eastmere Police Service"
                parts.append([])
                continue
        if current and _possessive(current[-1][2]) and _lower(word) not in ORG_WORDS and low not in CONNECTORS:
            parts.append([])
        if _lower(word) in TITLES:
            titled.add(len(parts) - 1)
        parts[-1].append(item)
    out = []
    for part in parts:
        while part and part[-1][2].lower() in CONNECTORS:
            part.pop()
        while part and part[0][2].lower() in CONNECTORS:
            part.pop(0)
        if part:
            start, end, word = part[-1]
            bare = re.sub(r"(?<=s)['’]$|['’]s$", "", word)
            if bare != word and bare:  # "South Wales Police's use": the name is without it
                part[-1] = (start, start + len(bare), bare)
            out.append(_Run(part[0][0], part[-1][1], tuple(part)))
    return out


_NAME_WORD = re.compile(r"[A-Za-z][A-Za-z'’\-]*|&")


def _spelled_out(text: str) -> list[_Run]:
    """Names an abbreviation in brackets spells out, whole, with the small words inside
    them: "Medicines and Healthcare products Regulatory Agency (MHRA)", "His Majesty's
    Inspectorate of Constabulary and Fire & Rescue Services (HMICFRS)". The capitalised
    words before the bracket must give the abbreviation's letters, in order, and no other;
    the small words between them give none."""
    found: list[_Run] = []
    for match in re.finditer(r"\(([A-Z]{2,9})\)", text):
        letters = list(match.group(1))
        # The name is a few words right before the bracket: only those are read (a source
        # can hold thousands of brackets in a paragraph).
        words = list(_NAME_WORD.finditer(text, max(0, match.start() - 600), match.start()))
        taken: list[re.Match[str]] = []
        while words and letters:
            word = words.pop()
            if taken and text[word.end() : taken[-1].start()].strip(" ,"):
                break  # punctuation between: the name ended
            if word.group()[:1].isupper():
                if word.group()[0] != letters[-1]:
                    break
                letters.pop()
            elif not taken:
                break  # the name ends with a capitalised word, right before the bracket
            taken.append(word)  # a small word inside ("and", "products") has no letter
        if letters or len(taken) < 2 or not taken[-1].group()[:1].isupper():
            continue
        taken.reverse()
        found.append(_Run(taken[0].start(), taken[-1].end(), tuple((w.start(), w.end(), w.group()) for w in taken)))
    return found


SHORT_PART = 8  # words: a titled person's name, or a product's, before "of" or "for"


def _org_words(words: list[str]) -> bool:
    return bool(words) and _lower(words[-1]) in ORG_WORDS and _lower(words[-1]) not in LEGISLATION_WORDS


def _plain_part(words: list[tuple[int, int, str]]) -> bool:
    """A part with no organisation word and no title: not a name by itself."""
    plain = [w for _, _, w in words]
    return not _title_at(plain, 0)[0] and not any(
        _lower(w) in ORG_WORDS or _lower(w) in LEADING_ORG_WORDS for w in plain
    )


def _person_part(words: list[tuple[int, int, str]]) -> bool:
    """Does this part read as a titled person: a title, then at least one name word?"""
    plain = [w for _, _, w in words]
    title, size = _title_at(plain, 0)
    if not title:
        return False
    rest = plain[size:]
    return bool(rest) and all(w.lower() not in CONNECTORS and _lower(w) not in ORG_WORDS for w in rest)


# --- the analysis of one document ---------------------------------------------------------


@dataclass
class Analysis:
    sentences: list[Sentence]
    entities: list[Entity]
    # Per sentence ref: the entity mentions in it (start, end, entity index), in order.
    spots: dict[tuple[int, int], list[tuple[int, int, int]]]
    _order: dict[tuple[int, int], int] = field(default_factory=dict, repr=False)

    def in_sentence(self, sentence: Sentence) -> list[tuple[int, int, int]]:
        return self.spots.get(sentence.ref, [])

    def before(self, sentence: Sentence) -> Sentence | None:
        """The sentence before this one in the document, if any."""
        if not self._order:
            self._order.update((s.ref, i) for i, s in enumerate(self.sentences))
        at = self._order.get(sentence.ref)
        return self.sentences[at - 1] if at else None


# Who a whole paragraph is by: a speaker's turn in a debate ("Dr Helen Marsh (Kelvedon and
# Tiptree) (LD): I beg to move ...", "Dr Marsh: ...", "The Minister for X (Mr Ian Pryce): ...")
# and a letter signed at its end ("... — Margaret Pell, Sedgley Cross").
_NAME_WORDS = r"[A-Z][\w'’.-]*(?:\s+(?:of|and|for|the|de|van|von)?\s*[A-Z][\w'’.-]*){0,4}"
_TURN = re.compile(rf"^(?P<who>{_NAME_WORDS})(?P<brackets>(?:\s*\([^()]{{1,80}}\)){{0,2}}):\s+\S")
_SIGNED = re.compile(
    r"[—–]\s*(?P<who>(?:(?:Cllr|Dr|Mr|Mrs|Ms|Miss|Prof|Sir|Dame|Rev)\.?\s+)?[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){1,3})"
    r"(?:\s*,\s*[^—–,()]{1,50}|\s*\([^()]{1,60}\))?\s*$"
)
_NOT_SPEAKERS = set(
    "summary notes note present apologies resolved decision background update case key recommendation "
    "recommendations finding findings conclusion conclusions action actions agenda item question answer response "
    "outcome result results next what why how who when where editor source sources contents introduction "
    "method methods scope purpose status timeline".split()
)


def paragraph_speaker(paragraph: str) -> tuple[str, int, int] | None:
    """Who the whole paragraph is by, as written, and where that is in it: a debate's turn
    or a letter's signature; None for any other paragraph."""
    turn = _TURN.match(paragraph)
    if turn is not None:
        who, start = turn.group("who"), turn.start("who")
        words = who.split()
        if (
            any(_lower(w) in _NOT_SPEAKERS or _lower(w) in DOCUMENT_WORDS for w in words)
            or (len(words) == 1 and _lower(words[0]) not in TITLES)
            or (_lower(words[0]) in COMMON and words[0] != "The" and _lower(words[0]) not in TITLES)
        ):
            return None
        person = re.search(
            r"\((?P<name>(?:Mr|Mrs|Ms|Miss|Dr|Sir|Dame|Lord|Lady)\.?\s+[^()]{2,60})\)", turn.group("brackets")
        )
        if words[0] == "The" and person is not None:  # "The Minister for X (Mr Ian Pryce):"
            at = turn.start("brackets") + person.start("name")
            return person.group("name"), at, at + len(person.group("name"))
        if len(words) == 1 or any(_lower(w) in TITLES for w in words[:1]) or len(words) <= 4:
            return who, start, start + len(who)
        return None
    signed = _SIGNED.search(paragraph)
    if signed is not None and paragraph[: signed.start()].rstrip().endswith((".", "?", "!", "”", '"', "’")):
        return signed.group("who"), signed.start("who"), signed.end("who")
    return None


def speaker_of(analysis: Analysis, written: str) -> Speaker:
    """The one a paragraph's speaker names (by name, or by title and surname), as drafted."""
    form = fold(written)
    words = [w for w in form.split() if w not in TITLES]
    for index, entity in enumerate(analysis.entities):
        if form in entity.forms or (words and " ".join(words) in entity.forms):
            return Speaker(entity.name, index)
    surname = words[-1] if words else ""
    same = [i for i, e in enumerate(analysis.entities) if e.person and e.surname and e.surname == surname]
    if len(same) == 1:
        return Speaker(analysis.entities[same[0]].name, same[0])
    bare = " ".join(w for w in written.split() if _lower(w) not in TITLES)
    return Speaker(bare or written, None)


def _sentence_start(text: str, start: int) -> bool:
    return not text[:start].strip(" " + _QUOTES)


def analyse(sentences: list[Sentence]) -> Analysis:
    """Find the named people, bodies and firms of a document's sentences, merged."""
    lowered = " ".join(s.text for s in sentences)
    words_lower = set(re.findall(r"\b[a-z][a-z'’-]*\b", lowered))
    candidates: list[tuple[Sentence, _Run]] = []
    for sentence in sentences:
        spelled = _spelled_out(sentence.text)
        for run in runs(sentence.text):
            if any(a.start <= run.start < a.end for a in spelled):
                continue  # inside a name its abbreviation spells out: that name instead
            for part in split_run(run):
                candidates.append((sentence, part))
        candidates += [(sentence, name) for name in spelled]
    entities: list[Entity] = []
    by_form: dict[str, int] = {}
    cores: dict[str, list[int]] = {}  # a firm's name without its legal suffix: the entities so named
    spots: dict[tuple[int, int], list[tuple[int, int, int]]] = {}
    pending_single: list[tuple[Sentence, _Run]] = []

    def register(entity: Entity, sentence: Sentence, start: int, end: int) -> int:
        form = fold(entity.name)
        index = by_form.get(form)
        if index is None and entity.person and len(form.split()) == 1:
            # "Ms Quinn" after "Sarah Quinn": the same person
            same = [i for i, e in enumerate(entities) if e.person and e.surname == form]
            if len(same) == 1:
                index = same[0]
                entities[index].forms |= entity.forms
        if index is None and not entity.person:
            # "Datasift Analytics said" after "Datasift Analytics Ltd" (or before it): a firm
            # named with and without the word that says what kind of company it is.
            core = _legal_core(form)
            same = [i for i in cores.get(core, ()) if not entities[i].person]
            if core != form or same:
                if len(same) == 1:
                    index = same[0]
                    entities[index].forms.add(form)
        if index is None:
            entities.append(entity)
            index = len(entities) - 1
            by_form[form] = index
            entity.forms.add(form)
            cores.setdefault(_legal_core(form), []).append(index)
        else:
            known = entities[index]
            if known.kind == "unknown" and entity.kind != "unknown":
                known.kind = entity.kind
            known.person = known.person or entity.person
        entities[index].add(sentence, start, end)
        spots.setdefault(sentence.ref, []).append((start, end, index))
        return index

    # Pass 1: the names that say what they are (titled people, organisations, cued people).
    for sentence, part in candidates:
        entity = _full_name(sentence, part)
        if entity is None:
            pending_single.append((sentence, part))
            continue
        start = part.start
        if entity.person and entity.name != part.text(sentence.text):
            start = part.end - len(entity.name) if sentence.text[: part.end].endswith(entity.name) else part.start
        register(entity, sentence, start, part.end)
    # A letter's signature: "... — Margaret Pell, Sedgley Cross" is a person.
    last = {s.paragraph: s.number for s in sentences}
    for sentence in sentences:
        signed = _SIGNED.search(sentence.text) if last[sentence.paragraph] == sentence.number else None
        ahead = sentence.text[: signed.start()].rstrip() if signed is not None else ""
        if signed is not None and (not ahead or ahead.endswith((".", "?", "!", "”", '"', "’"))):
            written = signed.group("who")
            words = written.split()
            title, size = _title_at(words, 0)
            name = " ".join(words[size:]) if title else written
            if name and len(name.split()) >= 2:
                start = signed.start("who")
                register(_person(name, title, written), sentence, start, start + len(written))
    # Abbreviations defined in brackets: "the Information Commissioner's Office (ICO)".
    for sentence in sentences:
        for match in re.finditer(r"\(([A-Z][A-Za-z]{1,9})\)", sentence.text):
            before = [s for s in spots.get(sentence.ref, []) if s[1] <= match.start() and match.start() - s[1] <= 2]
            if before:
                entities[before[-1][2]].forms.add(fold(match.group(1)))
    _merge_appositions(sentences, entities, spots)
    # A name written in lower case, known by the noun before it: "the campaign group defenddigitalme said".
    for sentence in sentences:
        for match in _LOWER_NAME.finditer(sentence.text):
            entity = Entity(match.group("name"), kind=_noun_kind(match.group("noun")))
            register(entity, sentence, match.start("name"), match.end("name"))
    # Pass 2: other names: aliases of those found, or single words that act.
    for sentence, part in pending_single:
        text = part.text(sentence.text)
        if (
            _lower(text) in ORG_WORDS
            and _lower(text) not in NAMES_ALONE
            and not re.search(r"\b[Tt]he\s+$", sentence.text[: part.start])
        ):
            continue  # "Police to expand ...": the word, not a name; "the Committee" is one
        after_the = bool(re.search(r"\b[Tt]he\s+$", sentence.text[: part.start]))
        index = _alias_of(text, entities, after_the=after_the)
        if index is not None:
            entities[index].add(sentence, part.start, part.end)
            spots.setdefault(sentence.ref, []).append((part.start, part.end, index))
            continue
        single = _single_name(sentence, part, words_lower)
        if single is not None:
            register(single, sentence, part.start, part.end)
    # Aliases again, now that the single names are known ("the Met" after "the Metropolitan Police").
    for sentence in sentences:
        taken = spots.get(sentence.ref, [])
        for match in re.finditer(r"\b(?:the )?([A-Z][A-Za-z'’]+)\b", sentence.text):
            if any(s <= match.start(1) < e for s, e, _ in taken):
                continue
            word = _lower(match.group(1))
            if word in COMMON or word in ORG_WORDS or word in TITLES or _sentence_start(sentence.text, match.start(1)):
                continue
            index = _alias_of(match.group(1), entities, prefix_only=True, after_the=match.group().startswith("the "))
            if index is not None and not entities[index].role_only:
                entities[index].add(sentence, match.start(1), match.end(1))
                taken.append((match.start(1), match.end(1), index))
        spots[sentence.ref] = sorted(taken)
    # A role merged into the person beside it: its mentions are theirs.
    for entity in entities:
        entity.mentions.clear()
    by_ref = {s.ref: s for s in sentences}
    for ref in spots:
        kept = []
        for start, end, index in spots[ref]:
            seen = {index}
            target = entities[index].merged_into
            while target is not None and target not in seen:
                index = target
                seen.add(index)
                target = entities[index].merged_into
            kept.append((start, end, index))
        spots[ref] = sorted(set(kept))
    # An abbreviation of words in lower case names a thing, not a body: "an education, health
    # and care (EHC) plan".
    things = {fold(m.group(1)) for s in sentences for m in _THING_ABBREVIATION.finditer(s.text)}
    dropped = {i for i, e in enumerate(entities) if not e.person and fold(e.name) in things}
    for ref in spots:
        spots[ref] = [spot for spot in spots[ref] if spot[2] not in dropped]
    for ref in sorted(spots):
        for start, end, index in spots[ref]:
            entities[index].add(by_ref[ref], start, end)
    return Analysis(sentences, entities, spots)


_THING_ABBREVIATION = re.compile(r"\b[a-z][a-z-]+,?\s+\(([A-Z]{2,9})s?\)")


def _full_name(sentence: Sentence, part: _Run) -> Entity | None:
    words = _words(part)
    lows = [_lower(w) for w in words]
    text = part.text(sentence.text)
    if all(low in PLACES or low in NATIONALITIES or low in MONTH_WORDS or low in CONNECTORS for low in lows):
        return None
    if len(words) >= 2 and all(w.isupper() for w in words if w.lower() not in CONNECTORS):
        return None  # "PRESS RELEASE": a heading in capitals
    if lows[-1] in LEGISLATION_WORDS or (len(lows) > 1 and lows[0] in LEGISLATION_WORDS):
        return None  # a law, not a body
    if lows[0] == "st" or lows[0] == "st.":
        if lows[-1] not in ORG_WORDS:
            return None  # "St. Albans": a place
    title, size = _title_at(words, 0)
    if title:
        rest = words[size:]
        name_words = [w for w in rest if w.lower() not in CONNECTORS]
        if rest and rest[0].lower() in ("of", "for"):
            # "Mayor of London Sadiq Khan": a role of one word, then a name of two or more.
            after_of = rest[1:]
            if after_of and after_of[0].lower() == "the":
                after_of = after_of[1:]
            if len(after_of) >= 3 and all(_lower(w) not in ORG_WORDS for w in after_of[1:]):
                name = " ".join(after_of[1:])
                return _person(name, title, part.text(sentence.text))
            return Entity(text, role_only=True, kind=_kind_of_text(text) or TITLES.get(title) or "unknown")
        if not name_words:
            if " " in title and _acts(sentence.text, part.end):
                return Entity(
                    text, role_only=True, kind=TITLES.get(title) or "unknown"
                )  # "the Prime Minister supported"
            return None  # a title alone: "the Mayor" is an alias, found later
        if any(_lower(w) in ORG_WORDS for w in name_words):
            return _organisation(text, sentence, part)
        if title in ROLE_TITLES and len(name_words) == 1 and name_words[0].lower() in COMMON:
            return None
        return _person(" ".join(name_words), title, text)
    if len(words) > 1 and (
        lows[-1] in ORG_WORDS
        or any(
            low in LEADING_ORG_WORDS and i + 2 < len(lows) and lows[i + 1] in ("of", "for")
            for i, low in enumerate(lows)
        )
    ):
        # "Ministry of Justice", "National Institute of Standards and Technology"
        return _organisation(text, sentence, part)
    if len(words) > 1 and any(low in ("police", "constabulary", "council") for low in lows):
        return _organisation(text, sentence, part)
    real = [w for w in words if w.lower() not in CONNECTORS]
    if len(real) >= 2 and len(real) <= 4:
        after = sentence.text[part.end : part.end + 20]
        if re.match(r"\s+(?:group|party)\b", after):
            name = text + re.match(r"\s+(?:group|party)", after).group()  # type: ignore[union-attr]
            return Entity(name, kind="unknown")
        if any(_lower(w) in COMMON or _lower(w) in DOCUMENT_WORDS for w in real):
            return None
        if all(_lower(w) in NATIONALITIES or _lower(w) in PLACES for w in real):
            return None
        if _person_cue(sentence, part):
            return _person(" ".join(real), "", text)
        kind = _noun_before(sentence, part)
        if (
            kind
            or _acts(sentence.text, part.end)
            or _DONE_BY.search(sentence.text[max(0, part.start - 40) : part.start])
        ):
            # "Healthwatch England, the patient champion, warned", "NHS England told us"
            return Entity(text, kind=kind or "unknown")
    return None


_ACTING = re.compile(
    r"^(?:['’]s)?(?:,[^,;]{1,70},)?\s+(?:has |have |had |also |will |would |is |was |has also |later |then )?(?:"
    + SPEECH_VERBS
    + "|"
    + STANCE_VERBS["supports"]
    + "|"
    + STANCE_VERBS["opposes"]
    + r"|won|bid|supplies|supplied|published|issued|agreed|approved|passed|launched|began|signed|made|makes|wants|"
    r"wanted|plans|planned|awarded|asked|requested|runs|ran|decided|responded|intervened|refused|ordered)\b"
)


# "carried out by Fieldline Research", "funded by the Joseph Rowntree Foundation": whoever
# does the work is a name.
_DONE_BY = re.compile(
    r"\b(?:carried out|conducted|commissioned|funded|published|produced|prepared|run|built|supplied|developed|"
    r"operated|provided|measured|tested|assessed|evaluated|audited|reviewed|inspected|licensed) by (?:the )?$"
)


def _acts(text: str, end: int) -> bool:
    """Does the name ending at ``end`` do something: a verb of saying or acting after it
    (past an aside between commas)?"""
    return bool(_ACTING.match(text[end : end + 120]))


def _person(name: str, title: str, written: str) -> Entity:
    parts = name.split()
    entity = Entity(name, person=True, kind=TITLES.get(title) or "unknown")
    entity.forms.add(fold(written))
    entity.surname = fold(parts[-1]) if len(parts) >= 2 else ""
    if entity.surname:
        # "MP" and similar after a name are not its surname.
        if parts[-1] in ("MP", "QC", "KC", "MEP", "MSP", "AM", "OBE", "MBE", "CBE") and len(parts) >= 3:
            entity.surname = fold(parts[-2])
            entity.name = " ".join(parts[:-1])
            if parts[-1] in ("MP", "MEP", "MSP"):
                entity.kind = "government"
    return entity


def _organisation(text: str, sentence: Sentence, part: _Run) -> Entity:
    kind = _kind_of_text(text)
    noun = _noun_before(sentence, part)
    return Entity(text, kind=noun or kind or "unknown")


def _kind_of_text(text: str) -> str:
    lows = [_lower(w) for w in re.findall(r"[A-Za-z'’]+", text)]
    joined = " ".join(lows)
    if "police and crime commissioner" in joined or "crime commissioner" in joined:
        return "government"
    if "commissioner's office" in joined or "commissioner" in lows:
        return "regulator"
    for low in ("police", "constabulary"):
        if low in lows:
            return "police"
    for low in reversed(lows):
        kind = ORG_WORDS.get(low)
        if kind:
            return kind
    for low in lows:
        if low in LEADING_ORG_WORDS and ORG_WORDS.get(low):
            return ORG_WORDS[low]
    return ""


def _noun_before(sentence: Sentence, part: _Run) -> str:
    """The kind a noun right before or after the name says: "the campaign group Liberty",
    "Palantir, the US data firm"."""
    before = sentence.text[max(0, part.start - 40) : part.start].lower()
    after = sentence.text[part.end : part.end + 50].lower()
    for pattern, kind in KIND_NOUNS:
        if re.search(rf"\b(?:{pattern})\s+$", before):
            return kind
        if re.match(rf"^,\s+(?:a|an|the)\s+(?:[\w.-]+\s+){{0,3}}(?:{pattern})\b", after):
            return kind
    return ""


def _noun_kind(noun: str) -> str:
    for pattern, kind in KIND_NOUNS:
        if re.fullmatch(rf"(?:{pattern})", noun.lower()):
            return kind
    return "unknown"


def _person_cue(sentence: Sentence, part: _Run) -> bool:
    before = sentence.text[max(0, part.start - 60) : part.start].lower()
    after = sentence.text[part.end : part.end + 60].lower()
    if re.search(rf"\b(?:{PERSON_ROLE_NOUNS})(?:\s+(?:of|for|at)\s+[^,]+)?,\s+$", before):
        return True
    if re.match(rf"^,\s+(?:a|an|the)?\s*(?:[\w.'’-]+\s+){{0,4}}(?:{PERSON_ROLE_NOUNS})\b", after):
        return True
    if re.match(r"^,?\s+(?:who|he|she)\b", after):
        return True
    return False


def _single_name(sentence: Sentence, part: _Run, words_lower: set[str]) -> Entity | None:
    """A name of one word: one that acts ("Liberty said"), is called what it is ("the
    campaign group Liberty"), or is a body by name alone ("Parliament"); at a sentence's
    start only if it acts and the document never writes it in lower case."""
    words = _words(part)
    if len(words) != 1:
        return None
    word = words[0]
    low = _lower(word)
    if low in COMMON or low in PLACES or low in NATIONALITIES or low in MONTH_WORDS or low in DOCUMENT_WORDS:
        return None
    if (low in LEGISLATION_WORDS or low in TITLES or low in ORG_WORDS) and low not in NAMES_ALONE:
        return None
    if len(word) < 2 or not word[0].isalpha():
        return None
    acting = _acts(sentence.text, part.end)
    kind = _noun_before(sentence, part) or ORG_WORDS.get(low, "") or "unknown"
    if word.isupper():
        return Entity(word, kind=kind) if acting else None  # "the ICO said"; not "CCTV", "VAT"
    if _sentence_start(sentence.text, part.start):
        return Entity(word, kind=kind) if acting and low not in words_lower else None
    if acting or kind != "unknown" or low in NAMES_ALONE:
        return Entity(word, kind=kind)
    return None


# What kind of company a firm is, written after its name: not part of what it is called.
LEGAL_SUFFIXES = {"ltd", "limited", "plc", "llp", "inc", "incorporated", "corp", "corporation", "co", "llc", "lp"}


def _legal_core(form: str) -> str:
    """A folded firm's name without its legal suffix ("datasift analytics ltd" ->
    "datasift analytics"); the name itself when it has none, or is nothing else."""
    words = form.split()
    while len(words) > 1 and words[-1] in LEGAL_SUFFIXES:
        words.pop()
    return " ".join(words)


def _institution(entity: Entity) -> bool:
    """An organisation named by a place and an institution word ("Lancaster University",
    "Metropolitan Police"): its first word alone is the place."""
    words = fold(entity.name).split()
    return len(words) >= 2 and words[1] in ORG_WORDS and ORG_WORDS[words[1]] not in ("vendor",)


def _alias_of(text: str, entities: list[Entity], prefix_only: bool = False, after_the: bool = True) -> int | None:
    """The one entity ``text`` names another way, if exactly one."""
    form = fold(text)
    if not form:
        return None
    hits = [i for i, e in enumerate(entities) if form in e.forms]
    if len(hits) == 1:
        return hits[0]
    if hits:
        return None
    words = form.split()
    candidates: list[int] = []
    for i, entity in enumerate(entities):
        name_words = fold(entity.name).split()
        if not name_words or (entity.role_only and not prefix_only):
            continue
        if entity.person:
            if not prefix_only and entity.surname and words[-1] == entity.surname and len(words) <= 2:
                candidates.append(i)
            continue
        if len(words) == 1:
            word = words[0]
            initials = "".join(w[0] for w in name_words if w not in CONNECTORS)
            if not after_the and _institution(entity) and name_words[0].startswith(word):
                continue  # "Lancaster schools": the place, not Lancaster University ("the Met" is one)
            if (
                (word == name_words[0] and len(name_words) > 1 and word not in ORG_WORDS)
                or (len(word) >= 3 and name_words[0].startswith(word) and len(name_words) > 1)
                or (len(word) >= 2 and word == initials)
                or (word in ORG_WORDS and word in name_words and not prefix_only)
            ):
                candidates.append(i)
        elif not prefix_only and (
            " ".join(name_words).startswith(form + " ") or " ".join(name_words).endswith(" of " + form)
        ):
            candidates.append(i)  # "Eastmere Police" of "Eastmere Police Service"; "the Police and
            # Crime Commissioner" of "Eastmere Office of the Police and Crime Commissioner"
    if len(candidates) == 1:
        return candidates[0]
    return None


def _merge_appositions(
    sentences: list[Sentence], entities: list[Entity], spots: dict[tuple[int, int], list[tuple[int, int, int]]]
) -> None:
    """A role or body named right beside a person ("The Information Commissioner, John
    Edwards"; "Stephen Bonner, the ICO's Deputy Commissioner,") becomes one of its names."""
    for sentence in sentences:
        spotted = spots.get(sentence.ref, [])
        for (_s1, e1, i1), (s2, end2, i2) in zip(spotted, spotted[1:], strict=False):
            if i1 == i2:
                continue
            gap = sentence.text[e1:s2]
            a, b = entities[i1], entities[i2]
            if gap.strip() == "," and a.role_only and b.person and a.merged_into is None:
                b.forms |= a.forms
                if b.kind == "unknown":
                    b.kind = a.kind
                a.merged_into = i2
            elif (
                gap.strip() == "("
                and a.person
                and not b.person
                and b.merged_into is None
                and sentence.text[end2:].startswith(")")
                and (b.role_only or _lower(b.name.split()[0]) in ROLE_HEADS)
            ):
                # "Cllr. Priya Shah (Cabinet Member for Children's Services)": her role
                a.forms |= b.forms
                b.merged_into = i1
    # Kinds from the role beside a person: "a researcher at the University of Kentford".
    for sentence in sentences:
        for s, e, index in spots.get(sentence.ref, []):
            entity = entities[index]
            if not entity.person or entity.kind != "unknown":
                continue
            before = sentence.text[max(0, s - 60) : s].lower()
            after = sentence.text[e : e + 80].lower()
            near = ""
            role_after = re.match(r"^,\s+([^,.;]+)", after)
            if role_after:
                near = role_after.group(1)
            role_before = re.search(r"([^,.;]+),\s+$", before)
            if role_before:
                near += " " + role_before.group(1)
            of_after = re.match(r"^\s+(?:of|at)\s+([^,.;]+)", after)
            if of_after:
                near += " " + of_after.group(1)
            for pattern, kind in KIND_NOUNS:
                if re.search(rf"\b(?:{pattern})\b", near):
                    entity.kind = kind
                    break


_LOWER_NAME = re.compile(
    r"\b(?P<noun>campaign group|civil liberties group|pressure group|rights group|charity|think tank|company|firm)"
    r"\s+(?P<name>[a-z][a-z0-9]{3,})\s+(?:has\s+|have\s+|also\s+)*(?:" + SPEECH_VERBS + r")\b"
)


# --- who says it, and stances ---------------------------------------------------------------

_REPORT = re.compile(rf"\b(?:{SPEECH_VERBS})\b")
_ACCORDING = re.compile(
    r"\baccording to (?:(?:figures|data|statistics|documents|estimates) (?:released |published |from |by )*)?"
    r"(?:by )?(?P<who>[^,.;]+)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Speaker:
    name: str  # as the brief writes it: an entity's name, or the words ("critics")
    entity: int | None  # the entity, if it is one


def attribution(
    analysis: Analysis, sentence: Sentence, previous: Speaker | None = None, at: int | None = None
) -> Speaker | None:
    """Who the sentence says it (or its claim) comes from, if it says: of several speakers,
    the one whose verb comes last before ``at`` (a figure's or a concern's place in it)."""
    text = sentence.text
    spotted = analysis.in_sentence(sentence)
    match = _ACCORDING.search(text)
    if match:
        return _resolve(analysis, sentence, match.start("who"), match.end("who"), spotted) or Speaker(
            match.group("who").strip(), None
        )
    # '..., said X' and '"...," X said'
    inverted = re.search(r"[,.!?][\"”’']?\s+(?:said|says|added|warned|told us|argued)\s+", text)
    if inverted:
        after = [s for s in spotted if s[0] >= inverted.end() and _only_titles(text[inverted.end() : s[0]])]
        if after:
            return Speaker(analysis.entities[after[0][2]].name, after[0][2])
    said = [(start, speaker) for start, speaker in _speakers(analysis, sentence, spotted) if speaker is not None]
    for match in _FROM_SPEAKER.finditer(text):
        if at is not None and match.start() > at:
            continue  # "complaints from parents" speaks for what follows it, not for what came before
        inside = [s for s in spotted if 0 <= s[0] - match.end() <= 4]
        if inside:
            said.append((match.start(), Speaker(analysis.entities[inside[0][2]].name, inside[0][2])))
        elif match.group("group"):
            said.append((match.start(), Speaker(match.group("group").lower(), None)))
    said.sort(key=lambda pair: pair[0])
    if said:
        before = [pair for pair in said if at is None or pair[0] <= at]
        return (before[-1] if before and at is not None else said[0])[1]
    if re.match(r"^\s*(?:we|our)\b", text, re.IGNORECASE):
        return Speaker(AUTHORS, None)
    if previous is not None and text[:1] in "\"“'‘":
        return previous  # a quotation going on from the sentence before
    return None


# "In a letter to the Committee, its chief data officer, X, said": the phrase is not the subject.
_LEADING_PHRASE = re.compile(
    r"\s*(?:In|At|On|During|After|Before|Following|Under|With|Without|Through|By|From|Since|Until|For|As|Last|This|"
    r"Earlier|Later)\b[^,]{1,80},\s*"
)
_FROM_SPEAKER = re.compile(
    r"\b(?:complaints?|concerns?|criticism|warnings?|objections?|opposition|fears?|questions?)\s+(?:raised\s+)?"
    rf"(?:from|by)\s+(?:(?P<group>{GROUP_SPEAKERS})\b)?",
    re.IGNORECASE,
)
_SPOKESPERSON = re.compile(
    r"^\s*(?:a|an|the|its|their)\s+(?:\w+\s+)?(?:spokes(?:person|woman|man)|representative|press officer)"
    r"(?:\s+(?:also|later|then))?\s*$",
    re.IGNORECASE,
)
_CLAUSE_BREAKS = (";", "”,", '",', " while ", " but ", " whereas ", " although ")
_NEGATED = re.compile(r"\b(?:not|never|n't|declined to|refused to)\b|n['’]t\b", re.IGNORECASE)
_PRONOUN_SUBJECT = re.compile(
    r"\b(he|she|they|it|the (?:force|council|company|firm|group|ministry|department|committee|government|"
    r"authority|regulator|network|charity|organisation|service|supplier))\s*(?:(?:has|had|also|have)\s*)?$",
    re.IGNORECASE,
)


def _speakers(
    analysis: Analysis, sentence: Sentence, spotted: list[tuple[int, int, int]]
) -> list[tuple[int, Speaker | None]]:
    """Each verb of saying in the sentence, with who its subject is (None if not known)."""
    text = sentence.text
    out: list[tuple[int, Speaker | None]] = []
    for verb in _REPORT.finditer(text):
        subject = text[: verb.start()]
        clause_start = max((subject.rfind(b) + len(b) for b in _CLAUSE_BREAKS if b in subject), default=0)
        clause = subject[clause_start:]
        pronoun = _PRONOUN_SUBJECT.search(clause.rstrip())
        bare = re.sub(r"^[\s,]*(?:and|but|then|also)?[\s,]*$", "", clause)
        if (not bare or verb.group().endswith("ing")) and out and out[-1][1] is not None:
            out.append((verb.start(), out[-1][1]))  # "... said it ..., arguing that": the same speaker
            continue
        coordinated = re.search(r"(?:,\s*|\s)(?:and|but)\s*$", clause)
        if (not bare or coordinated) and spotted and len(text[: spotted[0][0]].split()) <= 3:
            first = spotted[0]  # "X welcomed the report but said ...": the sentence's subject
            out.append((verb.start(), Speaker(analysis.entities[first[2]].name, first[2])))
            continue
        if _NEGATED.search(clause[-16:]):
            out.append((verb.start(), None))  # "it has not said"
            continue
        if re.search(r"\b(?:that|which|whether)\b", clause) and not re.search(r"\bwho\b", clause):
            # the verb is in a reported clause, unless a pronoun is its subject right before it
            # ("a trial that it says led to 17 arrests")
            if pronoun and clause.rstrip().endswith(pronoun.group(0).rstrip()):
                out.append((verb.start(), _back(analysis, sentence, pronoun.group(1).lower())))
            continue
        if len(clause.split()) > 16:
            continue
        lead = _LEADING_PHRASE.match(clause)
        subject_start = clause_start + (lead.end() if lead else 0)
        inside = [s for s in spotted if subject_start <= s[0] and s[1] <= verb.start()]
        if inside:
            first = inside[0]
            group_at = re.search(rf"\b({GROUP_SPEAKERS})\s+(?:at|from|of|in)\s+$", text[subject_start : first[0]], re.I)
            if group_at:  # "parents at Castle Hill Academy say"
                who = f"{group_at.group(1).lower()} at {analysis.entities[first[2]].name}"
                out.append((verb.start(), Speaker(who, None)))
                continue
            if len(inside) > 1 and text[first[1] : inside[1][0]].strip() == ",":
                # "The Information Commissioner, John Edwards, told ...": the person
                if analysis.entities[inside[1][2]].person and not analysis.entities[first[2]].person:
                    first = inside[1]
            out.append((verb.start(), Speaker(analysis.entities[first[2]].name, first[2])))
            continue
        group = re.search(rf"\b({GROUP_SPEAKERS})\b(?:\s+\S+){{0,3}}\s*$", clause, re.IGNORECASE)
        if group:
            out.append(
                (verb.start(), Speaker(group.group(1) if group.group(1) == "MPs" else group.group(1).lower(), None))
            )
            continue
        if _SPOKESPERSON.match(clause):
            # "A spokesperson said": speaking for the body named last (in this paragraph or
            # the one before), as "it" would
            out.append((verb.start(), _back(analysis, sentence, "it")))
            continue
        start_pronoun = re.match(r"^\s*(he|she|it|they)\b", clause, re.IGNORECASE)
        found = pronoun or start_pronoun
        if found:
            out.append((verb.start(), _back(analysis, sentence, found.group(1).lower())))
            continue
        if re.match(r"^\s*we\b", clause, re.IGNORECASE):
            out.append((verb.start(), Speaker(AUTHORS, None)))
            continue
        out.append((verb.start(), None))
    return out


def _only_titles(text: str) -> bool:
    """Is ``text`` empty or titles alone ("Chief Constable ", "the ")?"""
    words = [_lower(w) for w in text.split()]
    phrase = " ".join(w for w in words if w != "the")
    return not phrase or phrase in TITLES or all(w in TITLES for w in phrase.split())


AUTHORS = "the source's authors (“we”)"


def _resolve(
    analysis: Analysis, sentence: Sentence, start: int, end: int, spotted: list[tuple[int, int, int]]
) -> Speaker | None:
    inside = [s for s in spotted if start <= s[0] and s[1] <= end]
    if inside:
        return Speaker(analysis.entities[inside[0][2]].name, inside[0][2])
    words = sentence.text[start:end].strip()
    words = re.sub(r"^(?:figures|data|statistics) (?:released |published )?by ", "", words)
    back = _back(analysis, sentence, words.lower())
    return back


def _back(analysis: Analysis, sentence: Sentence, word: str) -> Speaker | None:
    """The one a pronoun or "the force"/"the council"/... stands for: the last one named
    before, in this paragraph or the one before it, of the right sort."""
    person = word in ("he", "she")
    wanted = {
        "the force": "police",
        "the company": "vendor",
        "the firm": "vendor",
        "the supplier": "vendor",
        "the group": "civil society",
        "the network": "civil society",
        "the charity": "civil society",
        "the regulator": "regulator",
    }.get(word)
    name_word = {
        "the council": "council",
        "the ministry": "ministry",
        "the committee": "committee",
        "the department": "",
        "the authority": "authority",
        "the service": "service",
    }.get(word)
    if not (person or wanted or name_word is not None or word in ("it", "they")):
        return None
    candidates: list[tuple[tuple[int, int, int], int]] = []
    for index, entity in enumerate(analysis.entities):
        for paragraph, number, start, _end in entity.mentions:
            if (paragraph, number) >= sentence.ref and not (
                (paragraph, number) == sentence.ref and start < _first_word_end(sentence.text, word)
            ):
                continue
            if paragraph < sentence.paragraph - 1 and word in ("he", "she", "it", "they"):
                continue  # a pronoun looks back a paragraph; "the force" as far as it must
            candidates.append(((paragraph, number, start), index))
    candidates.sort(reverse=True)
    if word in ("it", "they", "he", "she"):
        # the subject of the sentence before comes first: "The Committee criticised the Home
        # Office ... It singled out ..."
        subject = _previous_subject(analysis, sentence)
        same = any(ref[:2] == sentence.ref for ref, _ in candidates)
        if subject is not None and not same:
            candidates.insert(0, ((0, 0, 0), subject))
    for _, index in candidates:
        entity = analysis.entities[index]
        if entity.role_only:
            continue
        if person and not entity.person:
            continue
        if not person and entity.person:
            continue
        if wanted and entity.kind != wanted:
            continue
        if name_word and name_word not in fold(entity.name).split():
            continue
        if name_word == "" and not re.search(r"\b(?:department|office|ministry)\b", fold(entity.name)):
            continue
        return Speaker(entity.name, index)
    return None


def _previous_subject(analysis: Analysis, sentence: Sentence) -> int | None:
    """The one named first in the sentence before, within its first words: its subject."""
    previous = analysis.before(sentence)
    if previous is None or previous.paragraph < sentence.paragraph - 1:
        return None
    spotted = analysis.in_sentence(previous)
    if spotted and len(previous.text[: spotted[0][0]].split()) <= 4:
        return spotted[0][2]
    return None


def _first_word_end(text: str, word: str) -> int:
    found = re.search(rf"\b{re.escape(word)}\b", text, re.IGNORECASE)
    return found.start() if found else len(text)


def stances(analysis: Analysis) -> dict[int, tuple[str, Sentence] | None]:
    """The stance each entity is stated to take, with the sentence that states it; None
    where stated stances disagree. Entities with no stated stance are left out."""
    found: dict[int, list[tuple[str, Sentence]]] = {}
    for sentence in analysis.sentences:
        spotted = analysis.in_sentence(sentence)
        for stance, pattern in STANCE_VERBS.items():
            for verb in re.finditer(rf"\b(?:{pattern})\b", sentence.text):
                if any(0 <= s - verb.end() <= 5 for s, _, _ in spotted):
                    continue  # "criticised the Home Office": a view of them, not of the matter
                meant = _of_what(stance, sentence.text[verb.end() :])
                if meant is None:
                    continue
                subject = _subject(analysis, sentence, verb.start(), spotted)
                passive = re.match(r"\s+by\s+", sentence.text[verb.end() :])
                if passive:
                    by = [s for s in spotted if s[0] >= verb.end() and s[0] - verb.end() <= 8]
                    subject = by[0][2] if by else None
                if subject is not None:
                    found.setdefault(subject, []).append((meant, sentence))
    out: dict[int, tuple[str, Sentence] | None] = {}
    for index, said in found.items():
        kinds = {stance for stance, _ in said}
        out[index] = said[0] if len(kinds) == 1 else None
    return out


_STOPPING = r"(?:pause|pausing|suspension|suspending|halt|halting|ban|banning|moratorium|withdrawal|scrapping|ending)"
_STOPPING_VERB = r"(?:pause|suspend|halt|ban|scrap|drop|stop|end|abandon|withdraw|shelve)"
_DECISION = r"(?:decision|move|announcement|ruling|outcome|news|u-turn|step|choice)"


def _of_what(stance: str, after: str) -> str | None:
    """The stance a verb states on the matter, read from what it is of: welcoming "the pause"
    or "the decision to suspend it" is opposing the thing paused; welcoming "the decision"
    alone says nothing of which way it went (None)."""
    words = re.findall(r"[\w'’-]+", after[:80])
    if words and words[0].lower() in ("the", "this", "its", "their", "a", "an"):
        words = words[1:]
    if len(words) >= 2 and (re.search(r"['’]s$", words[0]) or words[0].lower() in _BEFORE_THE_THING):
        words = words[1:]  # "the council's decision", "the temporary pause"
    if not words:
        return stance
    word = words[0].lower()
    flipped = "opposes" if stance == "supports" else "supports"
    if re.fullmatch(_STOPPING, word):
        return flipped  # "welcomed the pause", "criticised the suspension"
    if re.fullmatch(_DECISION, word):
        if len(words) >= 3 and words[1].lower() == "to":
            # "welcomed the decision to suspend the tool"; "criticised the decision to expand it"
            return flipped if re.fullmatch(_STOPPING_VERB, words[2].lower()) else stance
        return None  # "welcomed the decision": which way it went, the words do not say
    return stance


_BEFORE_THE_THING = {"temporary", "immediate", "proposed", "planned", "recent", "latest", "council", "government"}


def _subject(analysis: Analysis, sentence: Sentence, verb: int, spotted: list[tuple[int, int, int]]) -> int | None:
    text = sentence.text
    before = [s for s in spotted if s[1] <= verb]
    clause_start = max(text.rfind(";", 0, verb), text.rfind(" but ", 0, verb), -1) + 1
    if before and before[-1][0] >= clause_start:
        gap = text[before[-1][1] : verb]
        if len(gap.split()) <= 12 and not re.search(r"\b(?:that|which|whether|because|if)\b", gap):
            # "X, leader of ..., opposed": the name nearest the start of the clause
            first = [s for s in before if s[0] >= clause_start]
            candidate = first[0] if first else before[-1]
            gap = text[candidate[1] : verb]
            if not re.search(r"\b(?:that|which|whether|because|if)\b", gap):
                return candidate[2]
    clause = text[clause_start:verb]
    pronoun = re.match(
        r"^\s*(?:however,\s+)?(he|she|it|they|the (?:force|council|company|firm|group|ministry|department|"
        r"committee|government|network|charity))\b(?:\s+(?:has|had|have|also|strongly|publicly|said (?:it|he|she)))*\s*$",
        clause,
        re.IGNORECASE,
    )
    if pronoun:
        speaker = _back(analysis, sentence, pronoun.group(1).lower())
        if speaker is not None:
            return speaker.entity
    return None
