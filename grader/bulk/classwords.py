"""The class page's words, in both languages, and the colour of each verdict on it."""

from __future__ import annotations

from grader.bulk.similarity import FLAG_SHARE, MIN_MATCHED
from grader.text import Text

W = {
    "title": Text("Class report", "반 전체 보고서"),
    "students": Text("students", "학생"),
    "student": Text("Student", "학생"),
    "exercises": Text("exercises", "문제"),
    "grid": Text("Students × exercises", "학생 × 문제"),
    "grid_help": Text(
        "Each cell is a score, coloured by verdict; click a column's name to sort, a score to open that report.",
        "칸마다 점수이고 색은 판정입니다; 열 이름을 누르면 정렬되고, 점수를 누르면 그 보고서가 열립니다.",
    ),
    "grid_help_anonymous": Text(
        "Each cell is a score, coloured by verdict; click a column's name to sort.",
        "칸마다 점수이고 색은 판정입니다; 열 이름을 누르면 정렬됩니다.",
    ),
    "total": Text("Total", "합계"),
    "handed": Text("handed in", "제출"),
    "not_handed": Text("not handed in", "미제출"),
    "side_by_side": Text("the code side by side, shared parts marked", "코드 나란히 보기 (공통 부분 표시)"),
    "of": Text("of", "/"),
    "not_gradable": Text("not gradable", "채점 불가"),
    "mean": Text("mean", "평균"),
    "median": Text("median", "중앙값"),
    "passed": Text("passed", "합격"),
    "passed_check": Text("Passed", "통과"),
    "anonymous_pairs": Text(
        "Pairs only: the code is not shown on a page with pseudonyms (a comment can carry a name). "
        "The page without --anonymous shows it.",
        "쌍만 보여 줍니다: 가명 보고서에는 코드를 싣지 않습니다 (주석에 이름이 있을 수 있습니다). "
        "--anonymous 없이 만든 보고서에서 볼 수 있습니다.",
    ),
    "distribution": Text("Score distribution", "점수 분포"),
    "verdicts": Text("Verdicts", "판정"),
    "items": Text("Item analysis (each check)", "문항 분석 (검사별)"),
    "items_help": Text(
        "Pass rate: of the students whose code reached the check. Discrimination: the correlation of the "
        "check's points with the score on the exercise (near 1 separates the class; below 0 is suspect).",
        "통과율: 코드가 이 검사까지 실행된 학생 중 통과한 비율. 변별도: 검사 점수와 문제 점수의 상관계수 "
        "(1에 가까우면 잘 가려내고, 0보다 작으면 의심해 볼 만합니다).",
    ),
    "check": Text("Check", "검사"),
    "points": Text("Points", "배점"),
    "pass_rate": Text("Pass rate", "통과율"),
    "discrimination": Text("Discrimination", "변별도"),
    "recurring": Text("Slips and findings that recur", "반복되는 실수와 진단"),
    "recurring_none": Text(
        "No named slip or finding in this exercise.", "이 문제에서는 이름 붙은 실수나 진단이 없습니다."
    ),
    "slip": Text("slip", "실수"),
    "finding": Text("coach", "코치"),
    "reteach": Text("re-teach", "다시 가르칠 개념"),
    "who": Text("who", "누가"),
    "leaderboard": Text("Leaderboard (hidden test set)", "리더보드 (숨겨진 테스트 세트)"),
    "rank": Text("#", "순위"),
    "training": Text("Training", "학습 시간"),
    "epochs": Text("Epochs", "에포크"),
    "target": Text("target", "목표"),
    "similar": Text("Similar submissions", "비슷한 제출물"),
    "similar_help": Text(
        "Pairs whose code is alike beyond chance (copydetect: fingerprints of token runs, as MOSS takes them, "
        "so renamed variables and moved functions still match; the starter and code much of the class shares "
        "are left out). It is for a person to review, never a verdict: students may have worked together as "
        "allowed, or learnt from the same example.",
        "우연 이상으로 코드가 비슷한 쌍입니다 (copydetect: MOSS처럼 토큰 열의 지문으로 비교하므로 변수 이름을 "
        "바꾸거나 함수 순서를 바꿔도 찾습니다; 시작 파일과 반 학생 다수가 같이 쓴 코드는 빼고 비교). 사람이 "
        "살펴볼 자료일 뿐 판정이 아닙니다: 허용된 협업이거나 같은 예제로 배웠을 수도 있습니다.",
    ),
    "similar_none": Text("No pair is alike beyond chance.", "우연 이상으로 비슷한 쌍이 없습니다."),
    "similar_off": Text(
        "Similarity was not computed (--similarity off).", "유사도는 계산하지 않았습니다 (--similarity off)."
    ),
    "shared": Text("shared", "공통"),
    "threshold": Text(
        f"Flagged: at least {FLAG_SHARE:.0%} of one file, and {MIN_MATCHED} characters of normalised code "
        "(a name or a string counts one letter) shared.",
        f"표시 기준: 한쪽 파일의 {FLAG_SHARE:.0%} 이상, 그리고 정규화한 코드(이름과 문자열은 한 글자로 셈) "
        f"{MIN_MATCHED}자 이상이 같을 때.",
    ),
    "anonymous": Text(
        "Names are pseudonyms (pseudonyms.csv is the key).", "이름은 가명입니다 (pseudonyms.csv가 대응표)."
    ),
}
VERDICT_COLOUR = {
    "passed": "#1a7f37", "failed": "#cf222e", "submission-error": "#8250df", "contract-error": "#bf3989",
    "timeout": "#9a6700", "memory-exceeded": "#bc4c00", "crashed": "#57606a", "grader-error": "#24292f",
    "not handed in": "#d0d7de", "not gradable": "#8c959f",
}  # fmt: skip
