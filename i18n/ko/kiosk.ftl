# 키오스크 화면 문구(한국어, 존댓말). 각 id는 src/kiosk/strings/ 의 함수
# 이름과 같습니다.

## 모든 화면

continue = 계속
back = 뒤로
up = 위로
down = 아래로
key_enter = Enter
key_esc = Esc
key_space = 스페이스
key_tab = Tab
decimal_mark = .
label = { $name }:
top_bar = { $title } · 키오스크 { $kiosk }
enlarge = 창을 크게 늘려 주세요
too_small = 이 키오스크는 최소 { $min } 크기가 필요합니다. 현재 창은 { $size }입니다.
idle_warning = 계속 이용 중이신가요? 아무 키나 누르면 시간이 연장됩니다
starting_over_in = { $n }초 후 처음 화면으로 돌아갑니다
out_of_service_heading = 사용 중지
out_of_service = 이 키오스크는 현재 사용할 수 없습니다. 다른 키오스크를 이용해 주세요.

## 스캔

scan_heading = 명찰을 스캔해 주세요
scan_help = 명찰을 스캐너에 대거나, 명찰 번호를 입력한 뒤 Enter를 누르세요.
scan_field = 명찰 번호
badge_unknown = 명찰을 인식하지 못했습니다. CME 안내 데스크 직원에게 문의해 주세요.
staff = 직원
next_language = 언어
choose_language = 언어: 하나를 누르거나 F2로 바꾸세요

## 환영

welcome = { $name }님, 환영합니다
welcome_question = 본인이 맞으신가요?
yes_thats_me = 네, 본인입니다
not_me = 본인이 아닙니다

## 평점

credit_heading = 평점 — 신청할 평점을 선택하세요
credit_none = 평점 종류를 하나 이상 선택하세요.
moc_name = ABIM MOC 점수도 받기(선택)
moc_consent = MOC 이수 내역을 ACCME PARS를 통해 ABIM에 보고하는 데 동의합니다
moc_consent_needed = MOC 점수를 받으려면 ABIM 보고 동의에 체크하세요.
epid = NABP e-Profile ID
birth_mmdd = 생월일(MMDD)
abim_id = ABIM ID
role = 직종
role_pharmacist = 약사
role_technician = 약국 테크니션
on_file = 등록됨(입력하면 바뀝니다)
on_file_ending = 등록됨, 끝자리 { $ending }(입력하면 바뀝니다)
id_missing = { $field }를 입력하세요
id_not_digits = { $field }는 숫자로만 이루어집니다
id_length_exact = { $field }는 { $lo }자리입니다
id_length_range = { $field }는 { $lo }자리 또는 { $hi }자리입니다
mmdd_format = 생월일을 MMDD 형식으로 입력하세요(예: 0314)
mmdd_month = { $month }월은 01~12 범위가 아닙니다
mmdd_not_a_date = { $date }은(는) 없는 날짜입니다
epid_short = e-Profile ID
abim_short = ABIM ID
next = 다음
tick_untick = 선택 / 해제
space_changes = (스페이스로 변경)
credit_intro =
    { $profession ->
        [other] 다음 평점을 신청할 수 있습니다.
       *[named] 직종({ profession })에 따라 다음 평점을 신청할 수 있습니다.
    } 스페이스로 선택·해제하고 ↑ ↓로 이동하세요.
profession =
    { $profession ->
        [physician] 의사
        [physician_assistant] 전문 보조 의료인(PA)
        [nurse] 간호사
        [pharmacist] 약사
       *[other] 기타 직종
    }

## 세션

sessions_heading = 세션 — 참석한 세션을 선택하세요
filter = 검색
filter_hint = 제목, 분야, 강의실로 검색하려면 입력하세요
no_match = 검색 조건에 맞는 세션이 없습니다.
claimed_earlier = 신청함
not_ended = 아직 안 끝남
no_credit = 해당 없음
simultaneous = 선택한 세션과 같은 시간
scanned_at_door = 입장 시 스캔됨
scanned_note = 입장 스캔으로 선택됨: 참석하지 않은 세션은 스페이스로 해제하세요.
whole = 전체
select_first = 먼저 세션을 선택(스페이스)한 뒤 + 와 − 로 조정하세요.
acpe_whole = ACPE 세션은 전체 시간으로만 신청합니다. NABP CPE Monitor는 세션마다 등록된 시간을 인정합니다.
why_claimed_earlier = 이 세션은 이전 방문 때 이미 신청하셨습니다.
why_not_ended = 이 세션은 아직 끝나지 않았습니다. 끝난 뒤에 신청하세요.
why_no_credit = 이 세션에는 신청하시는 종류의 평점이 없습니다.
why_no_uan = 이 세션에는 귀하의 직종에 해당하는 ACPE 활동 번호가 없어 CPE Monitor에 기록할 수 없습니다.
why_simultaneous_acpe = 같은 시간의 ACPE 세션을 이미 선택하셨습니다. CPE Monitor는 그중 하나만 인정합니다. 이 세션을 고르려면 그 세션의 선택을 해제하세요.
totals = 나의 평점
overlap_note = 시간이 겹치는 세션은 한 번만 계산
cap_note = 이 행사의 최대 평점에 도달
nothing_selected = 참석한 세션을 하나 이상 선택하세요(스페이스).
records_changed = 답하시는 동안 기록이 바뀌어(다른 키오스크에서의 신청 또는 직원의 정정) 아직 아무것도 저장되지 않았습니다. 세션을 확인하고 Enter를 눌러 계속하세요. 답변은 그대로 남아 있습니다.
records_changed_dropped = 답하시는 동안 기록이 바뀌어(다른 키오스크에서의 신청 또는 직원의 정정) 아직 아무것도 저장되지 않았습니다. 더 이상 선택할 수 없어 해제된 세션: { $dropped }. Enter를 눌러 계속하세요. 답변은 그대로 남아 있습니다.
select = 선택
more = 늘리기
less = 줄이기
filter_to_list = Tab 또는 ↓: 목록으로
to_list = 목록
credits_short = { $amount }점
claimed_of = { $claimed } / { $designated }
of_max = / { $max } { $credit }
day_heading = { $month }월 { $day }일 { $weekday }
weekday =
    { $d ->
        [1] 월요일
        [2] 화요일
        [3] 수요일
        [4] 목요일
        [5] 금요일
        [6] 토요일
       *[7] 일요일
    }
weekday_short =
    { $d ->
        [1] (월)
        [2] (화)
        [3] (수)
        [4] (목)
        [5] (금)
        [6] (토)
       *[7] (일)
    }
month = { $m }월

## 평가

evaluation_heading = 평가 — 질문 { $k } / { $n }
required = 필수
optional_skip = 선택 — 비워 둔 채 Enter를 누르면 건너뜁니다.
answer_required = 이 질문에는 답이 필요합니다.
continue_empty_skips = 계속(비우면 건너뜀)
your_answer = 답변
chosen = 선택함

## 확인

attest_heading = 확인 — 신청 내용을 확인하고 확정하세요
claimed_this_visit = 이번 방문 신청:
claimed_earlier_visits = 이전 방문 신청:
what_counts = 규칙을 적용해 인정되는 평점은 아래와 같습니다
sessions = 세션 { $n }개
sessions_and_credits = 세션 { $n }개, { $amount } { $unit }
credits_unit = 평점
and_more = 외 { $n }개
agree = 동의합니다 — 수료증 발급
mail_to = 수료증은 다음 주소로도 이메일로 발송됩니다:
mail_declined = 이번에는 이메일을 보내지 않습니다: { $address } 에 이번 방문의 메일이 가지 않습니다.
no_mail = 이메일 안 받음
mail_after_all = 이메일 받기

## 수료증

cert_heading = 수료증 — 휴대폰으로 이 코드를 스캔하세요
cert_code = 수료증 코드
cert_done = 평점이 기록되었습니다. 링크를 열어 수료증을 보거나 인쇄하세요.
done = 완료

## 직원 모드

held_at_hub = 중앙 서버 보류
rejected_by_hub = 거부됨
last_good_upload = 마지막 정상 업로드
never = 없음
new_device_id = 새 기기 ID:
staff_pin_heading = 직원 — PIN을 입력하세요
staff_heading = 직원 모드
enter_pin = PIN 확인
cancel = 취소
pin_prompt = 직원 전용입니다. PIN을 입력하고 Enter를 누르세요.
pin = PIN
pin_wrong = PIN이 틀렸습니다. { $left }번 더 틀리면 직원 모드가 { $minutes }분 동안 잠깁니다.
pin_locked = PIN을 { $failures }번 틀려 직원 모드가 잠겼습니다. { $until } 이후에 다시 시도하세요.
menu_find = 참석자 찾기 — 신청 내역, QR 재발급, 신청 취소
menu_walk_in = 현장 등록 참석자 추가
menu_upload = 지금 업로드
menu_audit = 감사 기록
menu_lock = 이 키오스크 잠그기(사용 중지)
menu_quit = 프로그램 종료
menu_enrol = 이 키오스크를 허브에 등록 (CE 사무국 코드)
field_first_name = 이름
field_last_name = 성
field_degree = 학위
field_profession = 직종
field_email = 이메일
field_badge_id = 명찰 ID(비우면 자동 생성)
leave_staff_mode = 직원 모드 나가기
open = 열기
open_attendee = 참석자 열기
reissue_qr = QR 재발급
void_claim = 신청 취소
void_with_reason = 이 사유로 취소
register_and_claim = 등록하고 신청 시작
change = 변경
next_field = 다음 항목
walk_in_no_name = 이름이나 성을 입력하세요.
not_an_email = '{ $email }'은(는) 이메일 주소가 아닙니다.
bad_badge_id = 명찰 ID에는 공백이 없어야 하며 64자 이하여야 합니다.
no_certificate_yet = 이 참석자는 아직 수료증이 없습니다.
already_void = 이미 취소된 신청입니다.
no_claims_for_attendee = 이 참석자는 신청 내역이 없습니다.
void_needs_reason = 취소하려면 사유가 필요합니다.
info_kiosk = 키오스크
info_event = 행사
info_database = 데이터베이스
info_last_upload = 마지막 업로드
info_counts = 참석자 { $attendees }   오늘 신청 { $claims }   수료증 { $certificates }   미업로드 { $pending }
uploading_now = 업로드 중…
find_prompt = 이름, 이메일 또는 명찰:
certificate_issued = 수료증 { $code }, { $at } 발급
no_certificate = 아직 수료증 없음
attendee_head = { $name }, { $degree } — 명찰 { $badge } — { $profession } — { $email }
void_question = { $title } 신청({ $credits }점)을 취소할까요?
reason_prompt = 사유:
no_claims = 신청 내역 없음.
void_mark = 취소됨
could_not = 처리하지 못했습니다: { $error }
no_attendee_with_badge = 명찰 { $badge }인 참석자가 없습니다.
claim_voided = 신청이 취소되었고 수료증에 반영되었습니다.
upload_started = 업로드를 시작했습니다. 결과는 '마지막 업로드'에 표시됩니다.
no_hub = 중앙 서버가 설정되지 않았습니다([sync] hub_url). 기록은 이 키오스크에 남습니다.
no_sync_token = 이 키오스크에는 허브 자격 증명이 없습니다. 등록하세요(메뉴 7). 그때까지 기록은 이 키오스크에 남습니다.
enrol_prompt = 등록 코드:
enrol_now = 등록
asking_the_hub = 허브에 문의하는 중…
enrol_explained = CE 사무국이 이 키오스크용으로 만든 일회용 코드(cekiosk hub add-kiosk 또는 허브의 Kiosks 페이지)를 입력하거나 QR 코드를 스캔하세요. 허브: { $hub }
enrolled_as = 키오스크 { $kiosk }(으)로 등록했습니다. 이제 자체 자격 증명으로 업로드하고 서명합니다.
enrol_failed = 등록하지 못했습니다: { $why }
hub_not_asked = 허브에 문의하지 못했습니다: { $why }
upload_ok = 성공: { $uploaded }건 업로드({ $rejected }건 거부, 중앙 서버 보류 { $held }건), { $downloaded }건 다운로드
upload_failed = 실패: { $error }

## Speech and large text (F3, F4, F5)

full_stop = .
key_up_name = 위쪽 화살표
key_down_name = 아래쪽 화살표
key_plus_name = 플러스
key_minus_name = 마이너스
speech_status =
    { $on ->
        [yes] 음성 안내가 켜져 있습니다. F3으로 끄고 F4로 다시 듣습니다.
       *[no] 음성 안내가 꺼져 있습니다. F3으로 켭니다.
    }
large_status =
    { $on ->
        [yes] 큰 글자가 켜져 있습니다. F5로 끕니다.
       *[no] 큰 글자가 꺼져 있습니다. F5로 켭니다.
    }
speech_off = 음성 안내를 껐습니다.
ticked = 선택됨
not_ticked = 선택 안 됨
time_span = { $start }부터 { $end }까지
