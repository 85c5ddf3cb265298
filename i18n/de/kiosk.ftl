# Die Wörter des Terminals auf Deutsch (Sie-Form). Jede id ist der Name
# ihrer Funktion in src/kiosk/strings/.

## Alle Bildschirme

continue = Weiter
back = Zurück
up = Hoch
down = Runter
key_enter = Enter
key_esc = Esc
key_space = Leertaste
key_tab = Tab
decimal_mark = ,
label = { $name }:
top_bar = { $title } · Terminal { $kiosk }
enlarge = Bitte vergrößern Sie das Fenster
too_small = Dieses Terminal braucht mindestens { $min }; das Fenster hat { $size }.
idle_warning = Noch da? Drücken Sie eine beliebige Taste für mehr Zeit
starting_over_in = Neustart in { $n } s
out_of_service_heading = Außer Betrieb
out_of_service = Dieses Terminal ist außer Betrieb – bitte nutzen Sie ein anderes.

## Scannen

scan_heading = Scannen Sie Ihr Badge
scan_help = Halten Sie Ihr Badge unter den Scanner oder tippen Sie Ihre Badge-Nummer ein und drücken Sie Enter.
scan_field = Badge-Nummer
badge_unknown = Badge nicht erkannt – bitte wenden Sie sich an das Personal am CME-Helpdesk.
staff = Personal
next_language = Sprache
choose_language = Sprache: antippen oder F2 drücken

## Willkommen

welcome = Willkommen, { $name }
welcome_question = Sind Sie das?
yes_thats_me = Ja, das bin ich
not_me = Das bin ich nicht

## Credits

credit_heading = Credits – wählen Sie, was Sie beantragen
credit_none = Wählen Sie mindestens eine Credit-Art.
moc_name = Zusätzlich ABIM-MOC-Punkte erwerben (optional)
moc_consent = Ich bin einverstanden, dass der MOC-Abschluss über ACCME PARS an das ABIM gemeldet wird
moc_consent_needed = Für MOC-Punkte haken Sie bitte die Einwilligung zur Meldung an das ABIM an.
epid = NABP-e-Profile-ID
birth_mmdd = Geburtsmonat und -tag (MMTT)
abim_id = ABIM-ID
role = Ich bin
role_pharmacist = Apotheker/in
role_technician = Pharmazeutisch-technische/r Assistent/in
on_file = hinterlegt (zum Ersetzen tippen)
on_file_ending = hinterlegt, endet auf { $ending } (zum Ersetzen tippen)
id_missing = Geben Sie Ihre { $field } ein
id_not_digits = die { $field } besteht nur aus Ziffern
id_length_exact = die { $field } hat { $lo } Ziffern
id_length_range = die { $field } hat { $lo } oder { $hi } Ziffern
mmdd_format = Geburtsmonat und -tag als MMTT, z. B. 0314
mmdd_month = Monat { $month } liegt nicht zwischen 01 und 12
mmdd_not_a_date = { $date } ist kein gültiges Datum
epid_short = e-Profile-ID
abim_short = ABIM-ID
next = Weiter
tick_untick = An-/abhaken
space_changes = (Leertaste ändert)
credit_intro =
    { $profession ->
        [other] Sie können Folgendes beantragen.
       *[named] Für Ihren Beruf ({ profession }) können Sie Folgendes beantragen.
    } Leertaste hakt an oder ab; ↑ ↓ bewegen.
profession =
    { $profession ->
        [physician] Ärztin/Arzt
        [physician_assistant] Physician Assistant
        [nurse] Pflegefachkraft
        [pharmacist] Apotheker/in
       *[other] Sonstige
    }

## Sitzungen

sessions_heading = Sitzungen – wählen Sie die besuchten Sitzungen
filter = Filter
filter_hint = tippen, um nach Titel, Themenbereich oder Raum zu filtern
no_match = Keine Sitzung passt zum Filter.
claimed_earlier = beantragt
not_ended = noch nicht zu Ende
no_credit = für Sie ohne Credits
simultaneous = zeitgleich mit einer gewählten
scanned_at_door = am Eingang gescannt
scanned_note = Nach Eingangsscans angehakt: nicht besuchte Sitzungen abhaken (Leertaste).
whole = ganz
select_first = Wählen Sie zuerst die Sitzung (Leertaste), dann ändern Sie mit + und −.
acpe_whole = ACPE-Sitzungen werden nur ganz beantragt: NABP CPE Monitor schreibt die für jede Sitzung registrierten Stunden gut.
why_claimed_earlier = Diese Sitzung haben Sie bei einem früheren Besuch beantragt.
why_not_ended = Diese Sitzung ist noch nicht zu Ende; beantragen Sie sie danach.
why_no_credit = Diese Sitzung bietet keine Credits der Art, die Sie beantragen.
why_no_uan = Diese Sitzung hat keine ACPE-Aktivitätsnummer für Ihre Rolle, daher kann CPE Monitor sie nicht erfassen.
why_simultaneous_acpe = Sie haben zur gleichen Zeit eine ACPE-Sitzung gewählt; CPE Monitor schreibt nur eine davon gut. Haken Sie jene ab, um diese zu wählen.
totals = Ihre Credits
overlap_note = zeitgleiche Sitzungen zählen einmal
cap_note = Höchstwert der Veranstaltung erreicht
nothing_selected = Wählen Sie mindestens eine besuchte Sitzung (Leertaste).
records_changed = Ihre Daten haben sich geändert, während Sie geantwortet haben (ein Antrag an einem anderen Terminal oder eine Korrektur durch das Personal), daher wurde noch nichts gespeichert. Prüfen Sie Ihre Sitzungen und drücken Sie Enter, um fortzufahren; Ihre Antworten bleiben erhalten.
records_changed_dropped = Ihre Daten haben sich geändert, während Sie geantwortet haben (ein Antrag an einem anderen Terminal oder eine Korrektur durch das Personal), daher wurde noch nichts gespeichert. Nicht mehr wählbar und daher abgehakt: { $dropped }. Drücken Sie Enter, um fortzufahren; Ihre Antworten bleiben erhalten.
select = Wählen
more = Mehr
less = Weniger
filter_to_list = Tab oder ↓: zur Liste
to_list = Liste
credits_short = { $amount } Cr.
claimed_of = { $claimed } von { $designated }
of_max = von { $max } { $credit }
day_heading = { $weekday }, { $day }. { $month_name }
weekday =
    { $d ->
        [1] Montag
        [2] Dienstag
        [3] Mittwoch
        [4] Donnerstag
        [5] Freitag
        [6] Samstag
       *[7] Sonntag
    }
weekday_short =
    { $d ->
        [1] Mo.
        [2] Di.
        [3] Mi.
        [4] Do.
        [5] Fr.
        [6] Sa.
       *[7] So.
    }
month =
    { $m ->
        [1] Januar
        [2] Februar
        [3] März
        [4] April
        [5] Mai
        [6] Juni
        [7] Juli
        [8] August
        [9] September
        [10] Oktober
        [11] November
       *[12] Dezember
    }

## Evaluation

evaluation_heading = Evaluation – Frage { $k } von { $n }
required = Pflichtfrage
optional_skip = Optional – Enter ohne Antwort überspringt sie.
answer_required = Diese Frage braucht eine Antwort.
continue_empty_skips = Weiter (leer: überspringen)
your_answer = Ihre Antwort
chosen = gewählt

## Bestätigung

attest_heading = Bestätigung – prüfen und bestätigen Sie Ihren Antrag
claimed_this_visit = Bei diesem Besuch beantragt:
claimed_earlier_visits = Bei früheren Besuchen beantragt:
what_counts = was nach den Regeln zählt, steht unten
sessions =
    { $n ->
        [one] { $n } Sitzung
       *[other] { $n } Sitzungen
    }
sessions_and_credits =
    { $n ->
        [one] { $n } Sitzung
       *[other] { $n } Sitzungen
    }, { $amount } { $unit }
credits_unit = Credits
and_more =
    { $n ->
        [one] und { $n } weitere
       *[other] und { $n } weitere
    }
agree = Ich stimme zu – Zertifikat ausstellen
mail_to = Ihr Zertifikat geht außerdem per E-Mail an
mail_declined = Diesmal keine E-Mail: { $address } erhält zu diesem Besuch keine Nachricht.
no_mail = Keine E-Mail
mail_after_all = Doch per E-Mail

## Zertifikat

cert_heading = Zertifikat – scannen Sie diesen Code mit Ihrem Handy
cert_code = Zertifikatscode
cert_done = Ihre Credits sind erfasst. Öffnen Sie den Link, um Ihr Zertifikat anzusehen oder zu drucken.
done = Fertig

## Personalmodus

held_at_hub = Zurückgehalten am Zentralserver
rejected_by_hub = Abgelehnt
last_good_upload = Letzter erfolgreicher Upload
never = nie
new_device_id = Neue Geräte-ID:
staff_pin_heading = Personal – PIN eingeben
staff_heading = Personalmodus
enter_pin = PIN bestätigen
cancel = Abbrechen
pin_prompt = Nur für Personal. Geben Sie die PIN ein und drücken Sie Enter.
pin = PIN
pin_wrong =
    Falsche PIN. Nach { $left ->
        [one] { $left } weiteren falschen PIN
       *[other] { $left } weiteren falschen PINs
    } sperrt der Personalmodus für { $minutes ->
        [one] { $minutes } Minute
       *[other] { $minutes } Minuten
    }.
pin_locked =
    Der Personalmodus ist nach { $failures ->
        [one] { $failures } falschen PIN
       *[other] { $failures } falschen PINs
    } gesperrt. Versuchen Sie es nach { $until } erneut.
menu_find = Teilnehmende suchen – Anträge, QR neu ausgeben, Antrag stornieren
menu_walk_in = Nicht angemeldete Person aufnehmen
menu_upload = Jetzt hochladen
menu_audit = Prüfprotokoll
menu_lock = Dieses Terminal sperren (außer Betrieb)
menu_quit = Programm beenden
menu_enrol = Dieses Terminal beim Hub anmelden (Code vom CE-Büro)
field_first_name = Vorname
field_last_name = Nachname
field_degree = Titel
field_profession = Beruf
field_email = E-Mail
field_badge_id = Badge-ID (leer: wird erzeugt)
leave_staff_mode = Personalmodus verlassen
open = Öffnen
open_attendee = Person öffnen
reissue_qr = QR neu ausgeben
void_claim = Antrag stornieren
void_with_reason = Mit diesem Grund stornieren
register_and_claim = Aufnehmen und Antrag beginnen
change = Ändern
next_field = Nächstes Feld
walk_in_no_name = Geben Sie einen Vor- oder Nachnamen ein.
not_an_email = „{ $email }“ ist keine E-Mail-Adresse.
bad_badge_id = Eine Badge-ID hat keine Leerzeichen und höchstens 64 Zeichen.
no_certificate_yet = Diese Person hat noch kein Zertifikat.
already_void = Dieser Antrag ist bereits storniert.
no_claims_for_attendee = Diese Person hat keine Anträge.
void_needs_reason = Eine Stornierung braucht einen Grund.
info_kiosk = Terminal
info_event = Veranstaltung
info_database = Datenbank
info_last_upload = Letzter Upload
info_counts = Teilnehmende { $attendees }   Anträge heute { $claims }   Zertifikate { $certificates }   Nicht hochgeladen { $pending }
uploading_now = wird hochgeladen…
find_prompt = Name, E-Mail oder Badge:
certificate_issued = Zertifikat { $code } ausgestellt { $at }
no_certificate = Noch kein Zertifikat
attendee_head = { $name }, { $degree } — Badge { $badge } — { $profession } — { $email }
void_question = Antrag für { $title } ({ $credits } Credits) stornieren?
reason_prompt = Grund:
no_claims = Keine Anträge.
void_mark = STORNIERT
could_not = Das ging nicht: { $error }
no_attendee_with_badge = Keine Person mit Badge { $badge }.
claim_voided = Antrag storniert; das Zertifikat berücksichtigt es.
upload_started = Upload gestartet; das Ergebnis steht unter Letzter Upload.
no_hub = Kein Zentralserver eingerichtet ([sync] hub_url); die Daten bleiben auf diesem Terminal.
no_sync_token = Dieses Terminal hat keine Zugangsdaten für den Hub: melden Sie es an (Menü 7); bis dahin bleiben die Daten auf diesem Terminal.
enrol_prompt = Anmeldecode:
enrol_now = Anmelden
asking_the_hub = Frage beim Hub nach …
enrol_explained = Geben Sie den Einmalcode ein, den das CE-Büro für dieses Terminal erstellt hat (cekiosk hub add-kiosk oder die Seite „Kiosks“ des Hubs), oder scannen Sie seinen QR-Code. Hub: { $hub }
enrolled_as = Angemeldet als Terminal { $kiosk }: Es lädt nun mit eigenen Zugangsdaten hoch und signiert damit.
enrol_failed = Nicht angemeldet: { $why }
hub_not_asked = Der Hub war nicht erreichbar: { $why }
upload_ok = ok: { $uploaded } hochgeladen ({ $rejected } abgelehnt, { $held } am Zentralserver zurückgehalten), { $downloaded } heruntergeladen
upload_failed = fehlgeschlagen: { $error }

## Speech and large text (F3, F4, F5)

full_stop = .
key_up_name = Pfeil nach oben
key_down_name = Pfeil nach unten
key_plus_name = Plus
key_minus_name = Minus
speech_status =
    { $on ->
        [yes] Sprachausgabe ist an: F3 schaltet sie aus, F4 wiederholt.
       *[no] Sprachausgabe ist aus: F3 schaltet sie ein.
    }
large_status =
    { $on ->
        [yes] Große Schrift ist an: F5 schaltet sie aus.
       *[no] Große Schrift ist aus: F5 schaltet sie ein.
    }
speech_off = Sprachausgabe aus.
ticked = angehakt
not_ticked = nicht angehakt
time_span = { $start } bis { $end }
