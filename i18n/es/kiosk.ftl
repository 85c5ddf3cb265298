# Las palabras del quiosco en español (usted; neutro para Latinoamérica y
# España). Cada id es el nombre de su función en src/kiosk/strings/.

## Todas las pantallas

continue = Continuar
back = Atrás
up = Subir
down = Bajar
key_enter = Enter
key_esc = Esc
key_space = Espacio
key_tab = Tab
decimal_mark = ,
label = { $name }:
top_bar = { $title } · quiosco { $kiosk }
enlarge = Amplíe la ventana, por favor
too_small = Este quiosco necesita al menos { $min }; la ventana mide { $size }.
idle_warning = ¿Sigue ahí? Pulse cualquier tecla para tener más tiempo
starting_over_in = Se reiniciará en { $n } s
out_of_service_heading = Fuera de servicio
out_of_service = Este quiosco está fuera de servicio; use otro, por favor.

## Escanear

scan_heading = Escanee su credencial
scan_help = Acerque su credencial al lector, o escriba su número de credencial y pulse Enter.
scan_field = Número de credencial
badge_unknown = Credencial no reconocida. Acuda al personal del mostrador de ayuda de EMC.
staff = Personal
next_language = Idioma
choose_language = Idioma: toque uno o pulse F2

## Bienvenida

welcome = Bienvenido/a, { $name }
welcome_question = ¿Es usted?
yes_thats_me = Sí, soy yo
not_me = No soy yo

## Créditos

credit_heading = Créditos: elija lo que solicita
credit_none = Elija al menos un tipo de crédito.
moc_name = Obtener también puntos MOC del ABIM (opcional)
moc_consent = Autorizo que se informe al ABIM, a través de ACCME PARS, que completé la actividad MOC
moc_consent_needed = Para obtener puntos MOC, marque la autorización para informarlos al ABIM.
epid = ID de e-Profile de NABP
birth_mmdd = Mes y día de nacimiento (MMDD)
abim_id = ID del ABIM
role = Soy
role_pharmacist = Farmacéutico/a
role_technician = Técnico/a de farmacia
on_file = registrado (escriba para reemplazarlo)
on_file_ending = registrado, termina en { $ending } (escriba para reemplazarlo)
id_missing = escriba su { $field }
id_not_digits = el { $field } lleva solo dígitos
id_length_exact = el { $field } tiene { $lo } dígitos
id_length_range = el { $field } tiene { $lo } o { $hi } dígitos
mmdd_format = mes y día de nacimiento como MMDD, p. ej., 0314
mmdd_month = el mes { $month } no está entre 01 y 12
mmdd_not_a_date = { $date } no es una fecha real
epid_short = ID de e-Profile
abim_short = ID del ABIM
next = Siguiente
tick_untick = Marcar / desmarcar
space_changes = (Espacio cambia)
credit_intro =
    { $profession ->
        [other] Puede solicitar lo siguiente.
       *[named] Según su profesión ({ profession }), puede solicitar lo siguiente.
    } Espacio marca o desmarca; ↑ ↓ mueven.
profession =
    { $profession ->
        [physician] médico/a
        [physician_assistant] asistente médico/a
        [nurse] enfermero/a
        [pharmacist] farmacéutico/a
       *[other] otra
    }

## Sesiones

sessions_heading = Sesiones: seleccione las sesiones a las que asistió
filter = Filtro
filter_hint = escriba para filtrar por título, área o sala
no_match = Ninguna sesión coincide con el filtro.
claimed_earlier = solicitada
not_ended = aún no termina
no_credit = sin crédito para usted
simultaneous = a la vez que una marcada
scanned_at_door = registrada en la puerta
scanned_note = Marcadas al entrar: desmarque (Espacio) las sesiones a las que no asistió.
whole = completa
select_first = Primero seleccione la sesión (Espacio) y luego ajuste con + y −.
acpe_whole = Las sesiones ACPE se solicitan completas: NABP CPE Monitor acredita las horas registradas para cada sesión.
why_claimed_earlier = Ya solicitó esta sesión en una visita anterior.
why_not_ended = Esta sesión aún no ha terminado; solicítela cuando termine.
why_no_credit = Esta sesión no ofrece el tipo de crédito que usted solicita.
why_no_uan = Esta sesión no tiene número de actividad ACPE para su función, así que CPE Monitor no puede registrarla.
why_simultaneous_acpe = Marcó una sesión ACPE a la misma hora; CPE Monitor acredita solo una de ellas. Desmárquela para elegir esta.
totals = Sus créditos
overlap_note = las sesiones simultáneas cuentan una vez
cap_note = se alcanzó el máximo de la actividad
nothing_selected = Seleccione al menos una sesión a la que asistió (Espacio).
records_changed = Sus registros cambiaron mientras respondía (una solicitud hecha en otro quiosco o una corrección del personal), así que aún no se registró nada. Revise sus sesiones y pulse Enter para continuar; sus respuestas se conservan.
records_changed_dropped = Sus registros cambiaron mientras respondía (una solicitud hecha en otro quiosco o una corrección del personal), así que aún no se registró nada. Ya no se pueden seleccionar y se desmarcaron: { $dropped }. Pulse Enter para continuar; sus respuestas se conservan.
select = Marcar
more = Más
less = Menos
filter_to_list = Tab o ↓: a la lista
to_list = Lista
credits_short = { $amount } cr
claimed_of = { $claimed } de { $designated }
of_max = de { $max } { $credit }
day_heading = { $weekday } { $day } de { $month_name }
weekday =
    { $d ->
        [1] lunes
        [2] martes
        [3] miércoles
        [4] jueves
        [5] viernes
        [6] sábado
       *[7] domingo
    }
weekday_short =
    { $d ->
        [1] lun
        [2] mar
        [3] mié
        [4] jue
        [5] vie
        [6] sáb
       *[7] dom
    }
month =
    { $m ->
        [1] enero
        [2] febrero
        [3] marzo
        [4] abril
        [5] mayo
        [6] junio
        [7] julio
        [8] agosto
        [9] septiembre
        [10] octubre
        [11] noviembre
       *[12] diciembre
    }

## Evaluación

evaluation_heading = Evaluación: pregunta { $k } de { $n }
required = Obligatoria
optional_skip = Opcional: pulse Enter sin responder para omitirla.
answer_required = Esta pregunta necesita una respuesta.
continue_empty_skips = Continuar (vacío omite)
your_answer = su respuesta
chosen = elegida

## Declaración

attest_heading = Declaración: revise y confirme su solicitud
claimed_this_visit = Solicitado en esta visita:
claimed_earlier_visits = Solicitado en visitas anteriores:
what_counts = abajo, lo que cuenta según las reglas
sessions =
    { $n ->
        [one] { $n } sesión
       *[other] { $n } sesiones
    }
sessions_and_credits =
    { $n ->
        [one] { $n } sesión
       *[other] { $n } sesiones
    }, { $amount } { $unit }
credits_unit = créditos
and_more =
    { $n ->
        [one] y { $n } más
       *[other] y { $n } más
    }
agree = Acepto: emitir mi certificado
mail_to = Su certificado también se enviará por correo a
mail_declined = Sin correo esta vez: { $address } no recibirá mensaje por esta visita.
no_mail = Sin correo
mail_after_all = Enviar correo

## Certificado

cert_heading = Certificado: escanee este código con su teléfono
cert_code = Código del certificado
cert_done = Sus créditos quedaron registrados. Abra el enlace para ver o imprimir su certificado.
done = Listo

## Modo de personal

held_at_hub = Retenidos en el servidor central
rejected_by_hub = Rechazados
last_good_upload = Último envío correcto
never = nunca
new_device_id = Nuevo id de dispositivo:
staff_pin_heading = Personal: introduzca el PIN
staff_heading = Modo de personal
enter_pin = Introducir PIN
cancel = Cancelar
pin_prompt = Solo para el personal. Introduzca el PIN y pulse Enter.
pin = PIN
pin_wrong =
    PIN incorrecto. { $left ->
        [one] Con { $left } PIN incorrecto más
       *[other] Con { $left } PIN incorrectos más
    }, el modo de personal se bloquea { $minutes ->
        [one] { $minutes } minuto
       *[other] { $minutes } minutos
    }.
pin_locked =
    El modo de personal está bloqueado tras { $failures ->
        [one] { $failures } PIN incorrecto
       *[other] { $failures } PIN incorrectos
    }. Vuelva a intentarlo después de las { $until }.
menu_find = Buscar participante: solicitudes, reemitir QR, anular una solicitud
menu_walk_in = Registrar a un participante sin inscripción previa
menu_upload = Enviar ahora
menu_audit = Registro de auditoría
menu_lock = Bloquear este quiosco (fuera de servicio)
menu_quit = Salir del programa
menu_enrol = Registrar este quiosco en el hub (código de la oficina de CE)
field_first_name = Nombre
field_last_name = Apellidos
field_degree = Título
field_profession = Profesión
field_email = Correo electrónico
field_badge_id = Id de credencial (vacío: se genera uno)
leave_staff_mode = Salir del modo de personal
open = Abrir
open_attendee = Abrir participante
reissue_qr = Reemitir QR
void_claim = Anular solicitud
void_with_reason = Anular con este motivo
register_and_claim = Registrar y empezar la solicitud
change = Cambiar
next_field = Campo siguiente
walk_in_no_name = Escriba un nombre o un apellido.
not_an_email = «{ $email }» no es una dirección de correo electrónico.
bad_badge_id = Un id de credencial no lleva espacios y tiene como máximo 64 caracteres.
no_certificate_yet = Este participante aún no tiene certificado.
already_void = Esa solicitud ya está anulada.
no_claims_for_attendee = Este participante no tiene solicitudes.
void_needs_reason = Una anulación necesita un motivo.
info_kiosk = Quiosco
info_event = Evento
info_database = Base de datos
info_last_upload = Último envío
info_counts = Participantes { $attendees }   Solicitudes hoy { $claims }   Certificados { $certificates }   Sin enviar { $pending }
uploading_now = enviando…
find_prompt = Nombre, correo o credencial:
certificate_issued = Certificado { $code } emitido { $at }
no_certificate = Aún sin certificado
attendee_head = { $name }, { $degree } — credencial { $badge } — { $profession } — { $email }
void_question = ¿Anular la solicitud de { $title } ({ $credits } créditos)?
reason_prompt = Motivo:
no_claims = Sin solicitudes.
void_mark = ANULADA
could_not = No se pudo hacer: { $error }
no_attendee_with_badge = No hay ningún participante con la credencial { $badge }.
claim_voided = Solicitud anulada; el certificado ya lo refleja.
upload_started = Envío iniciado; el resultado aparecerá en Último envío.
no_hub = No hay servidor central configurado ([sync] hub_url); los registros se quedan en este quiosco.
no_sync_token = Este quiosco no tiene credenciales para el hub: regístrelo (menú 7); hasta entonces los registros se quedan en este quiosco.
enrol_prompt = Código de registro:
enrol_now = Registrar
asking_the_hub = Consultando al hub…
enrol_explained = Escriba el código de un solo uso que la oficina de CE creó para este quiosco (cekiosk hub add-kiosk o la página Kiosks del hub), o escanee su código QR. Hub: { $hub }
enrolled_as = Registrado como quiosco { $kiosk }: ahora sube y firma con sus propias credenciales.
enrol_failed = No registrado: { $why }
hub_not_asked = No se pudo consultar al hub: { $why }
upload_ok = bien: enviados { $uploaded } ({ $rejected } rechazados, { $held } retenidos en el servidor central), descargados { $downloaded }
upload_failed = error: { $error }

## Speech and large text (F3, F4, F5)

full_stop = .
key_up_name = Flecha arriba
key_down_name = Flecha abajo
key_plus_name = Más
key_minus_name = Menos
speech_status =
    { $on ->
        [yes] La voz está activada: F3 la desactiva, F4 repite.
       *[no] La voz está desactivada: F3 la activa.
    }
large_status =
    { $on ->
        [yes] El texto grande está activado: F5 lo desactiva.
       *[no] El texto grande está desactivado: F5 lo activa.
    }
speech_off = Voz desactivada.
ticked = marcada
not_ticked = sin marcar
time_span = de { $start } a { $end }
