"""What a rendered document says, independent of its format.

Builders (measures_plan.py, results_report.py) turn an analysis and a measures plan into these objects with every string
already in its final form (Thai digits, Buddhist-era dates); the DOCX and PDF renderers only
lay them out, so both formats always say the same thing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from itadesk.emblem import Emblem


@dataclass
class ScoreBar:
    """One bar of a chart and one row of a score table."""

    label: str          # "IIT", "ตัวชี้วัดที่ ๑ การปฏิบัติหน้าที่"
    short_label: str    # axis label: "IIT", "๑"
    value: float | None  # 0–100, None when not given
    text: str           # "๙๒.๓๗" or "-"
    group: str = ""     # tool code for indicators

    @property
    def name(self) -> str:
        """"ตัวชี้วัดที่ ๑ การปฏิบัติหน้าที่" → "การปฏิบัติหน้าที่" for a table's name column."""
        label = self.label.strip()
        for prefix in (f"ตัวชี้วัดที่ {self.short_label}", self.short_label):
            if prefix and label.startswith(prefix):
                rest = label[len(prefix):].strip()
                if rest:
                    return rest
        return label


@dataclass
class QuestionRow:
    tool: str            # "IIT" / "EIT" / "OIT"
    code: str            # as printed, with its word: "ข้อ i๑", "ข้อ O๗", "ตัวชี้วัดที่ ๒"
    text: str            # question wording or item name
    score: str           # "๙๕.๑๙"
    status: str          # URGENT / IMPROVE / KEEP
    change: str = ""     # year-over-year change, "+๑.๒๐", empty without last year's file


@dataclass
class MeasureRow:
    issue: str           # ประเด็น: what the measure answers, e.g. "O๑๔ รายการการจัดซื้อ… (๐.๐๐)"
    name: str            # มาตรการ/โครงการ/กิจกรรม
    steps: list[str]     # ขั้นตอน/วิธีปฏิบัติ, each without its number
    responsible: str     # ผู้รับผิดชอบ (the agency's own department names)
    period: str          # ระยะเวลาดำเนินการ
    monitoring: str      # การติดตามประเมินผล

    def keeps_whole(self) -> bool:
        """Whether the row is short enough (about a third of a page) to be kept on one page, in
        both formats; a longer one may continue on the next page."""
        longest = max(
            sum(len(s) + 25 for s in self.steps),  # each step starts a new line
            *(len(x) for x in (self.issue, self.name, self.responsible, self.period, self.monitoring)),
        )
        return longest <= 420


@dataclass
class ThemeSection:
    number: str                  # "๑"
    name: str
    rows: list[QuestionRow]
    improve: list[str]           # ข้อที่ต้องพัฒนา paragraphs (may be empty)
    keep: list[str]              # รักษาระดับ paragraphs (may be empty)
    measures: list[MeasureRow]
    overview: str = ""           # one paragraph: what is strong, what is weak, what will be done


@dataclass
class Signature:
    name: str            # "(นายสมชาย ใจดี)" is added by the renderer: give the bare name
    position: str
    caption: str = ""    # line above the name, e.g. "ผู้จัดทำ" / "ผู้รายงาน"


@dataclass
class CommentBlock:
    """'ความเห็นของปลัด …' with dotted lines and a signature, as the seeds' memos end."""

    heading: str
    signer: Signature


@dataclass
class Memo:
    """บันทึกข้อความ (official internal memo) that wraps a document."""

    office: str          # ส่วนราชการ
    reference: str       # ที่
    date: str            # วันที่ (Thai long date)
    subject: str         # เรื่อง
    to: str              # เรียน
    paragraphs: list[str]
    closing: str         # "จึงเรียนมาเพื่อโปรดพิจารณา"
    signers: list[Signature]
    comments: list[CommentBlock] = field(default_factory=list)
    emblem: Emblem | None = None   # the agency's ตราครุฑ or seal, top left (1.5 cm high)


@dataclass
class Titles:
    """Numbered section headings and figure captions, worded once for every format."""

    narrative: str        # heading of the paragraphs per indicator, between the executive summary and ๑.
    overall: str          # ๑. ผลการประเมิน…
    figure_tools: str     # ภาพที่ ๑ …
    figure_indicators: str
    indicators: str       # ๒. สรุปผลการประเมินรายตัวชี้วัด…
    themes: str           # ๓. ข้อมูลรายละเอียดการวิเคราะห์…
    measures: str         # ๔. มาตรการส่งเสริมคุณธรรมและความโปร่งใส… (landscape tables, one per theme)


@dataclass
class MeasuresDocument:
    """The O34-type document: analysis of last year's ITA results and this year's measures."""

    thai_digits: bool
    agency_name: str
    agency_place: str            # "อำเภอยางชุมน้อย จังหวัดศรีสะเกษ"
    assessed_year: str           # "๒๕๖๗" (the year whose results are analysed)
    plan_year: str               # "๒๕๖๘" (the year the measures run)
    cover_title: list[str]       # lines of the cover title
    heading: list[str]           # lines of the report heading on page 2
    overall_text: str            # paragraph: score, level
    ita: ScoreBar
    level: str
    tools: list[ScoreBar]
    indicators: list[ScoreBar]
    themes: list[ThemeSection]
    titles: Titles
    notes: list[str]             # e.g. official/recomputed mismatches worth stating
    signatures: list[Signature]  # ผู้จัดทำ / ผู้เห็นชอบ / ผู้อนุมัติ at the end
    pass_mark: float             # the year's lowest passing ITA (Criteria.pass_mark), drawn on the charts
    memo: Memo | None = None
    summary: list[str] = field(default_factory=list)   # บทสรุปผู้บริหาร paragraphs, before section ๑
    narrative: list[str] = field(default_factory=list)  # one paragraph per indicator, after the summary


# --------------------------------------------------------------------------- results report
# The O35-type document (FY2567 code): what was done under the measures, per reporting round.


@dataclass
class ReportRow:
    """One measure of the results table; every string final, "-" where nothing was reported."""

    theme: str           # "ประเด็นที่ ๑ กระบวนการปฏิบัติงาน…" (rows of a theme follow each other)
    name: str            # มาตรการ
    steps: list[str]     # ขั้นตอน/วิธีปฏิบัติ, each without its number
    responsible: str     # ผู้รับผิดชอบ
    period: str          # ระยะเวลา
    status: str          # code: not_started / in_progress / done / cancelled
    status_label: str    # "ดำเนินการแล้วเสร็จ"
    done: str            # ผลการดำเนินการ (for a cancelled measure: its reason)
    output: str          # ผลผลิต
    outcome: str         # ผลลัพธ์/ผลสัมฤทธิ์
    problems: str        # ปัญหาอุปสรรค
    suggestions: str     # ข้อเสนอแนะ
    evidence: list[str] = field(default_factory=list)   # links, as given
    files: list[str] = field(default_factory=list)      # names of the uploaded evidence files

    def keeps_whole(self) -> bool:
        """Whether the row is short enough (about a third of a page) to be kept on one page, in
        both formats; a longer one may continue on the next page."""
        cells = (
            sum(len(s) + 25 for s in self.steps),
            len(self.done) + sum(len(link) + 25 for link in self.evidence) + sum(len(f) + 25 for f in self.files),
            len(self.output) + len(self.outcome) + 20,
            len(self.problems) + len(self.suggestions) + 20,
            len(self.name), len(self.responsible),
        )
        return max(cells) <= 380


@dataclass
class StatusCountRow:
    """One line of the summary: a status, how many measures, what share of the plan."""

    status: str          # code
    label: str           # "ดำเนินการแล้วเสร็จ"
    count: str           # "๕"
    percent: str         # "๓๑.๒๕"


@dataclass
class ThemeCountRow:
    theme: str           # "ประเด็นที่ ๑ …"
    counts: list[str]    # per status, in the order of ResultsReportDocument.counts
    total: str


@dataclass
class ResultsReportDocument:
    """The year-end (or mid-year) report on the measures: memo, summary, results table, signatures."""

    thai_digits: bool
    agency_name: str
    agency_place: str
    assessed_year: str           # "๒๕๖๗": the ITA results the measures answer
    plan_year: str               # "๒๕๖๘": the year the measures ran
    round_name: str              # "รอบ ๖ เดือน"
    round_period: str            # "๑ ตุลาคม ๒๕๖๗ ถึง ๓๑ มีนาคม ๒๕๖๘"
    heading: list[str]           # title lines at the top of the report
    summary_title: str           # "๑. สรุปผลการดำเนินการ …"
    summary_text: list[str]      # paragraphs: last year's ITA and level, what the round achieved
    ita: str                     # "๘๑.๒๘"
    level: str                   # "ต้องปรับปรุง"
    counts: list[StatusCountRow]
    total: str                   # number of measures in the plan
    theme_counts: list[ThemeCountRow]
    results_title: str           # "๒. ผลการดำเนินการรายมาตรการ …"
    rows: list[ReportRow]
    signatures: list[Signature]
    memo: Memo | None = None
