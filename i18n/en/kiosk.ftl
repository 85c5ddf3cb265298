# The kiosk's words in English: the default, and the fallback for every
# other language. Each message id is the name of its function in
# src/kiosk/strings/. Translators: keep every { $variable }; a test fails
# when a language lacks a message this file has.

## Every screen

continue = Continue
back = Back
up = Up
down = Down
key_enter = Enter
key_esc = Esc
key_space = Space
key_tab = Tab
decimal_mark = .
label = { $name }:
top_bar = { $title } · kiosk { $kiosk }
enlarge = Please enlarge the window
too_small = This kiosk needs at least { $min }; the window is { $size }.
idle_warning = Still there? Press any key for more time
starting_over_in = Starting over in { $n } s
out_of_service_heading = Out of service
out_of_service = This kiosk is out of service — please use another.

## Scan

scan_heading = Scan your badge
scan_help = Hold your badge under the scanner, or type your badge number and press Enter.
scan_field = Badge number
badge_unknown = Badge not recognised — please see staff at the CE help desk.
staff = Staff
next_language = Language
choose_language = Language — tap one or press F2

## Welcome

welcome = Welcome, { $name }
welcome_question = Is this you?
yes_thats_me = Yes, that's me
not_me = Not me

## Credit

credit_heading = Credit — choose what you are claiming
credit_none = Choose at least one credit type.
moc_name = Also earn ABIM MOC points (opt in)
moc_consent = I consent to ABIM MOC completion being reported to ABIM through ACCME PARS
moc_consent_needed = To earn MOC points, tick the consent to report them to ABIM.
epid = NABP e-Profile ID
birth_mmdd = Birth month and day (MMDD)
abim_id = ABIM ID
role = I am a
role_pharmacist = Pharmacist
role_technician = Pharmacy technician
on_file = on file (type to replace it)
on_file_ending = on file, ending { $ending } (type to replace it)
id_missing = enter your { $field }
id_not_digits = the { $field } has digits only
id_length_exact = the { $field } is { $lo } digits
id_length_range = the { $field } is { $lo } or { $hi } digits
mmdd_format = birth month and day as MMDD, e.g. 0314
mmdd_month = month { $month } is not 01 to 12
mmdd_not_a_date = { $date } is not a real date
epid_short = e-Profile ID
abim_short = ABIM ID
next = Next
tick_untick = Tick / untick
space_changes = (Space changes)
credit_intro =
    { $profession ->
        [other] You can claim the following.
       *[named] As a { profession } you can claim the following.
    } Space ticks or unticks; ↑ ↓ move.
profession =
    { $profession ->
        [physician] physician
        [physician_assistant] physician assistant
        [nurse] nurse
        [pharmacist] pharmacist
       *[other] other
    }

## Sessions

sessions_heading = Sessions — select the sessions you attended
filter = Filter
filter_hint = type to filter by title, track or room
no_match = No session matches the filter.
claimed_earlier = claimed
not_ended = not yet ended
no_credit = no credit for you
simultaneous = same time as one ticked
scanned_at_door = scanned at the door
scanned_note = Ticked from the door scans: untick (Space) any session you did not attend.
whole = whole
select_first = Select the session first (Space), then adjust with + and −.
acpe_whole = ACPE sessions are claimed whole: NABP CPE Monitor credits the hours registered for each session.
why_claimed_earlier = You claimed this session on an earlier visit.
why_not_ended = This session has not ended yet; claim it after it ends.
why_no_credit = This session offers no credit of the type you are claiming.
why_no_uan = This session has no ACPE activity number for your role, so CPE Monitor cannot record it.
why_simultaneous_acpe = You ticked an ACPE session at the same time; CPE Monitor credits only one of them. Untick it to choose this one.
totals = Your credit
overlap_note = overlapping sessions count once
cap_note = activity maximum reached
nothing_selected = Select at least one session you attended (Space).
records_changed = Your records changed while you answered (a claim made at another kiosk, or a correction by staff), so nothing was recorded yet. Check your sessions and press Enter to continue; your answers are kept.
records_changed_dropped = Your records changed while you answered (a claim made at another kiosk, or a correction by staff), so nothing was recorded yet. No longer selectable, so unticked: { $dropped }. Press Enter to continue; your answers are kept.
select = Select
more = More
less = Less
filter_to_list = Tab or ↓: to the list
to_list = List
credits_short = { $amount } cr
claimed_of = { $claimed } of { $designated }
of_max = of { $max } { $credit }
day_heading = { $weekday } { $day } { $month_name }
weekday =
    { $d ->
        [1] Monday
        [2] Tuesday
        [3] Wednesday
        [4] Thursday
        [5] Friday
        [6] Saturday
       *[7] Sunday
    }
weekday_short =
    { $d ->
        [1] Mon
        [2] Tue
        [3] Wed
        [4] Thu
        [5] Fri
        [6] Sat
       *[7] Sun
    }
month =
    { $m ->
        [1] January
        [2] February
        [3] March
        [4] April
        [5] May
        [6] June
        [7] July
        [8] August
        [9] September
        [10] October
        [11] November
       *[12] December
    }

## Evaluation

evaluation_heading = Evaluation — Question { $k } of { $n }
required = Required
optional_skip = Optional — Enter on an empty answer skips it.
answer_required = This question needs an answer.
continue_empty_skips = Continue (empty skips)
your_answer = your answer
chosen = chosen

## Attest

attest_heading = Attest — check and confirm your claim
claimed_this_visit = Claimed on this visit:
claimed_earlier_visits = Claimed on earlier visits:
what_counts = what counts, with the rules applied, is below
sessions =
    { $n ->
        [one] { $n } session
       *[other] { $n } sessions
    }
sessions_and_credits =
    { $n ->
        [one] { $n } session
       *[other] { $n } sessions
    }, { $amount } { $unit }
credits_unit = credits
and_more = and { $n } more
agree = I agree — issue my certificate
mail_to = Your certificate will also be e-mailed to
mail_declined = Not e-mailed this time: { $address } gets no message for this visit.
no_mail = No e-mail
mail_after_all = E-mail it

## Certificate

cert_heading = Certificate — scan this code with your phone
cert_code = Certificate code
cert_done = Your credit is recorded. Open the link to view or print your certificate.
done = Done

## Staff mode

held_at_hub = Held at the hub
rejected_by_hub = Rejected
last_good_upload = Last good upload
never = never
new_device_id = New device id:
staff_pin_heading = Staff — enter the PIN
staff_heading = Staff mode
enter_pin = Enter PIN
cancel = Cancel
pin_prompt = Staff only. Enter the staff PIN and press Enter.
pin = PIN
pin_wrong =
    Wrong PIN. { $left ->
        [one] { $left } more wrong PIN
       *[other] { $left } more wrong PINs
    } and staff mode locks for { $minutes ->
        [one] { $minutes } minute
       *[other] { $minutes } minutes
    }.
pin_locked =
    Staff mode is locked after { $failures ->
        [one] { $failures } wrong PIN
       *[other] { $failures } wrong PINs
    }. Try again after { $until }.
menu_find = Find an attendee — claims, reissue QR, void a claim
menu_walk_in = Add a walk-in attendee
menu_upload = Upload now
menu_audit = Audit log
menu_lock = Lock this kiosk (out of service)
menu_quit = Quit the program
menu_enrol = Enrol this kiosk at the hub (code from the CE office)
field_first_name = First name
field_last_name = Last name
field_degree = Degree
field_profession = Profession
field_email = Email
field_badge_id = Badge id (empty: one is made)
leave_staff_mode = Leave staff mode
open = Open
open_attendee = Open attendee
reissue_qr = Reissue QR
void_claim = Void claim
void_with_reason = Void with this reason
register_and_claim = Register and start claiming
change = Change
next_field = Next field
walk_in_no_name = Enter a first or last name.
not_an_email = '{ $email }' is not an email address.
bad_badge_id = A badge id has no spaces and at most 64 characters.
no_certificate_yet = This attendee has no certificate yet.
already_void = That claim is already void.
no_claims_for_attendee = This attendee has no claims.
void_needs_reason = A void needs a reason.
info_kiosk = Kiosk
info_event = Event
info_database = Database
info_last_upload = Last upload
info_counts = Attendees { $attendees }   Claims today { $claims }   Certificates { $certificates }   Not uploaded { $pending }
uploading_now = uploading now…
find_prompt = Name, email or badge:
certificate_issued = Certificate { $code } issued { $at }
no_certificate = No certificate yet
attendee_head = { $name }, { $degree } — badge { $badge } — { $profession } — { $email }
void_question = Void the claim for { $title } ({ $credits } credits)?
reason_prompt = Reason:
no_claims = No claims.
void_mark = VOID
could_not = Could not do that: { $error }
no_attendee_with_badge = No attendee with badge { $badge }.
claim_voided = Claim voided; the certificate reflects it.
upload_started = Upload started; the result shows under Last upload.
no_hub = No hub is configured ([sync] hub_url); records stay on this kiosk.
no_sync_token = This kiosk has no credentials for the hub: enrol it (menu 7); records stay on this kiosk until then.
enrol_prompt = Enrolment code:
enrol_now = Enrol
asking_the_hub = Asking the hub…
enrol_explained = Type the one-time code the CE office made for this kiosk (cekiosk hub add-kiosk, or the hub's Kiosks page), or scan its QR code. Hub: { $hub }
enrolled_as = Enrolled as kiosk { $kiosk }: this kiosk now uploads and signs with its own credentials.
enrol_failed = Not enrolled: { $why }
hub_not_asked = The hub could not be asked: { $why }
upload_ok = ok: uploaded { $uploaded } ({ $rejected } rejected, { $held } held at the hub), downloaded { $downloaded }
upload_failed = failed: { $error }

## Speech and large text (F3, F4, F5)

full_stop = .
key_up_name = Up arrow
key_down_name = Down arrow
key_plus_name = Plus
key_minus_name = Minus
speech_status =
    { $on ->
        [yes] Speech is on: F3 turns it off, F4 says it again.
       *[no] Speech is off: F3 turns it on.
    }
large_status =
    { $on ->
        [yes] Large text is on: F5 turns it off.
       *[no] Large text is off: F5 turns it on.
    }
speech_off = Speech off.
ticked = ticked
not_ticked = not ticked
time_span = { $start } to { $end }
