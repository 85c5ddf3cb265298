# As palavras do totem em português do Brasil (tratamento por "você").
# Cada id é o nome da sua função em src/kiosk/strings/.

## Todas as telas

continue = Continuar
back = Voltar
up = Subir
down = Descer
key_enter = Enter
key_esc = Esc
key_space = Espaço
key_tab = Tab
decimal_mark = ,
label = { $name }:
top_bar = { $title } · totem { $kiosk }
enlarge = Amplie a janela, por favor
too_small = Este totem precisa de pelo menos { $min }; a janela tem { $size }.
idle_warning = Ainda está aí? Pressione qualquer tecla para ter mais tempo
starting_over_in = Recomeçando em { $n } s
out_of_service_heading = Fora de serviço
out_of_service = Este totem está fora de serviço — use outro, por favor.

## Leitura

scan_heading = Passe o seu crachá
scan_help = Aproxime o crachá do leitor ou digite o número do crachá e pressione Enter.
scan_field = Número do crachá
badge_unknown = Crachá não reconhecido — procure a equipe no balcão de atendimento de EMC.
staff = Equipe
next_language = Idioma
choose_language = Idioma: toque em um ou pressione F2

## Boas-vindas

welcome = Boas-vindas, { $name }
welcome_question = É você?
yes_thats_me = Sim, sou eu
not_me = Não sou eu

## Créditos

credit_heading = Créditos — escolha o que você vai solicitar
credit_none = Escolha pelo menos um tipo de crédito.
moc_name = Obter também pontos MOC do ABIM (opcional)
moc_consent = Autorizo que a conclusão do MOC seja informada ao ABIM por meio do ACCME PARS
moc_consent_needed = Para obter pontos MOC, marque a autorização para informá-los ao ABIM.
epid = ID do e-Profile da NABP
birth_mmdd = Mês e dia de nascimento (MMDD)
abim_id = ID do ABIM
role = Sou
role_pharmacist = Farmacêutico(a)
role_technician = Técnico(a) em farmácia
on_file = cadastrado (digite para substituir)
on_file_ending = cadastrado, terminando em { $ending } (digite para substituir)
id_missing = digite seu { $field }
id_not_digits = o { $field } tem apenas dígitos
id_length_exact = o { $field } tem { $lo } dígitos
id_length_range = o { $field } tem { $lo } ou { $hi } dígitos
mmdd_format = mês e dia de nascimento como MMDD, ex.: 0314
mmdd_month = o mês { $month } não está entre 01 e 12
mmdd_not_a_date = { $date } não é uma data válida
epid_short = ID do e-Profile
abim_short = ID do ABIM
next = Avançar
tick_untick = Marcar / desmarcar
space_changes = (Espaço altera)
credit_intro =
    { $profession ->
        [other] Você pode solicitar o seguinte.
       *[named] Pela sua profissão ({ profession }), você pode solicitar o seguinte.
    } Espaço marca ou desmarca; ↑ ↓ movem.
profession =
    { $profession ->
        [physician] médico(a)
        [physician_assistant] assistente médico(a)
        [nurse] enfermeiro(a)
        [pharmacist] farmacêutico(a)
       *[other] outra
    }

## Sessões

sessions_heading = Sessões — selecione as sessões a que você assistiu
filter = Filtro
filter_hint = digite para filtrar por título, trilha ou sala
no_match = Nenhuma sessão corresponde ao filtro.
claimed_earlier = solicitada
not_ended = ainda não terminou
no_credit = sem crédito para você
simultaneous = no mesmo horário de uma marcada
scanned_at_door = registrada na entrada
scanned_note = Marcadas na entrada: desmarque (Espaço) as sessões a que você não assistiu.
whole = inteira
select_first = Primeiro selecione a sessão (Espaço) e depois ajuste com + e −.
acpe_whole = As sessões ACPE são solicitadas inteiras: o NABP CPE Monitor credita as horas registradas para cada sessão.
why_claimed_earlier = Você já solicitou esta sessão em uma visita anterior.
why_not_ended = Esta sessão ainda não terminou; solicite-a depois que terminar.
why_no_credit = Esta sessão não oferece o tipo de crédito que você está solicitando.
why_no_uan = Esta sessão não tem número de atividade ACPE para a sua função, então o CPE Monitor não pode registrá-la.
why_simultaneous_acpe = Você marcou uma sessão ACPE no mesmo horário; o CPE Monitor credita só uma delas. Desmarque-a para escolher esta.
totals = Seus créditos
overlap_note = sessões simultâneas contam uma vez
cap_note = máximo da atividade atingido
nothing_selected = Selecione pelo menos uma sessão a que você assistiu (Espaço).
records_changed = Seus registros mudaram enquanto você respondia (uma solicitação feita em outro totem ou uma correção da equipe), por isso nada foi registrado ainda. Confira suas sessões e pressione Enter para continuar; suas respostas foram mantidas.
records_changed_dropped = Seus registros mudaram enquanto você respondia (uma solicitação feita em outro totem ou uma correção da equipe), por isso nada foi registrado ainda. Não podem mais ser selecionadas e foram desmarcadas: { $dropped }. Pressione Enter para continuar; suas respostas foram mantidas.
select = Marcar
more = Mais
less = Menos
filter_to_list = Tab ou ↓: para a lista
to_list = Lista
credits_short = { $amount } cr
claimed_of = { $claimed } de { $designated }
of_max = de { $max } { $credit }
day_heading = { $weekday }, { $day } de { $month_name }
weekday =
    { $d ->
        [1] segunda-feira
        [2] terça-feira
        [3] quarta-feira
        [4] quinta-feira
        [5] sexta-feira
        [6] sábado
       *[7] domingo
    }
weekday_short =
    { $d ->
        [1] seg.
        [2] ter.
        [3] qua.
        [4] qui.
        [5] sex.
        [6] sáb.
       *[7] dom.
    }
month =
    { $m ->
        [1] janeiro
        [2] fevereiro
        [3] março
        [4] abril
        [5] maio
        [6] junho
        [7] julho
        [8] agosto
        [9] setembro
        [10] outubro
        [11] novembro
       *[12] dezembro
    }

## Avaliação

evaluation_heading = Avaliação — pergunta { $k } de { $n }
required = Obrigatória
optional_skip = Opcional — Enter sem resposta pula a pergunta.
answer_required = Esta pergunta precisa de uma resposta.
continue_empty_skips = Continuar (vazio pula)
your_answer = sua resposta
chosen = escolhida

## Declaração

attest_heading = Declaração — confira e confirme sua solicitação
claimed_this_visit = Solicitado nesta visita:
claimed_earlier_visits = Solicitado em visitas anteriores:
what_counts = o que conta, com as regras aplicadas, está abaixo
sessions =
    { $n ->
        [one] { $n } sessão
       *[other] { $n } sessões
    }
sessions_and_credits =
    { $n ->
        [one] { $n } sessão
       *[other] { $n } sessões
    }, { $amount } { $unit }
credits_unit = créditos
and_more = e mais { $n }
agree = Concordo — emitir meu certificado
mail_to = Seu certificado também será enviado por e-mail para
mail_declined = Sem e-mail desta vez: { $address } não receberá mensagem desta visita.
no_mail = Sem e-mail
mail_after_all = Enviar e-mail

## Certificado

cert_heading = Certificado — leia este código com o celular
cert_code = Código do certificado
cert_done = Seus créditos foram registrados. Abra o link para ver ou imprimir seu certificado.
done = Concluir

## Modo equipe

held_at_hub = Retidos no servidor central
rejected_by_hub = Recusados
last_good_upload = Último envio bem-sucedido
never = nunca
new_device_id = Novo id do dispositivo:
staff_pin_heading = Equipe — digite o PIN
staff_heading = Modo equipe
enter_pin = Confirmar PIN
cancel = Cancelar
pin_prompt = Somente para a equipe. Digite o PIN e pressione Enter.
pin = PIN
pin_wrong =
    PIN incorreto. Mais { $left ->
        [one] { $left } PIN incorreto
       *[other] { $left } PINs incorretos
    } e o modo equipe fica bloqueado por { $minutes ->
        [one] { $minutes } minuto
       *[other] { $minutes } minutos
    }.
pin_locked =
    O modo equipe está bloqueado após { $failures ->
        [one] { $failures } PIN incorreto
       *[other] { $failures } PINs incorretos
    }. Tente de novo depois das { $until }.
menu_find = Buscar participante — solicitações, reemitir QR, anular uma solicitação
menu_walk_in = Cadastrar participante sem inscrição prévia
menu_upload = Enviar agora
menu_audit = Registro de auditoria
menu_lock = Bloquear este totem (fora de serviço)
menu_quit = Sair do programa
menu_enrol = Registrar este totem no hub (código do escritório de CE)
field_first_name = Nome
field_last_name = Sobrenome
field_degree = Título
field_profession = Profissão
field_email = E-mail
field_badge_id = Id do crachá (vazio: um é gerado)
leave_staff_mode = Sair do modo equipe
open = Abrir
open_attendee = Abrir participante
reissue_qr = Reemitir QR
void_claim = Anular solicitação
void_with_reason = Anular com este motivo
register_and_claim = Cadastrar e iniciar a solicitação
change = Alterar
next_field = Próximo campo
walk_in_no_name = Digite um nome ou sobrenome.
not_an_email = "{ $email }" não é um endereço de e-mail.
bad_badge_id = Um id de crachá não tem espaços e tem no máximo 64 caracteres.
no_certificate_yet = Este participante ainda não tem certificado.
already_void = Essa solicitação já está anulada.
no_claims_for_attendee = Este participante não tem solicitações.
void_needs_reason = Uma anulação precisa de um motivo.
info_kiosk = Totem
info_event = Evento
info_database = Banco de dados
info_last_upload = Último envio
info_counts = Participantes { $attendees }   Solicitações hoje { $claims }   Certificados { $certificates }   Não enviados { $pending }
uploading_now = enviando…
find_prompt = Nome, e-mail ou crachá:
certificate_issued = Certificado { $code } emitido em { $at }
no_certificate = Ainda sem certificado
attendee_head = { $name }, { $degree } — crachá { $badge } — { $profession } — { $email }
void_question = Anular a solicitação de { $title } ({ $credits } créditos)?
reason_prompt = Motivo:
no_claims = Nenhuma solicitação.
void_mark = ANULADA
could_not = Não foi possível: { $error }
no_attendee_with_badge = Nenhum participante com o crachá { $badge }.
claim_voided = Solicitação anulada; o certificado já reflete isso.
upload_started = Envio iniciado; o resultado aparece em Último envio.
no_hub = Nenhum servidor central configurado ([sync] hub_url); os registros ficam neste totem.
no_sync_token = Este totem não tem credenciais para o hub: registre-o (menu 7); até lá, os registros ficam neste totem.
enrol_prompt = Código de registro:
enrol_now = Registrar
asking_the_hub = Consultando o hub…
enrol_explained = Digite o código de uso único que o escritório de CE criou para este totem (cekiosk hub add-kiosk ou a página Kiosks do hub), ou leia o seu QR code. Hub: { $hub }
enrolled_as = Registrado como totem { $kiosk }: agora envia e assina com as próprias credenciais.
enrol_failed = Não registrado: { $why }
hub_not_asked = Não foi possível consultar o hub: { $why }
upload_ok = ok: { $uploaded } enviados ({ $rejected } recusados, { $held } retidos no servidor central), { $downloaded } baixados
upload_failed = falhou: { $error }

## Speech and large text (F3, F4, F5)

full_stop = .
key_up_name = Seta para cima
key_down_name = Seta para baixo
key_plus_name = Mais
key_minus_name = Menos
speech_status =
    { $on ->
        [yes] A voz está ligada: F3 desliga, F4 repete.
       *[no] A voz está desligada: F3 liga.
    }
large_status =
    { $on ->
        [yes] O texto grande está ligado: F5 desliga.
       *[no] O texto grande está desligado: F5 liga.
    }
speech_off = Voz desligada.
ticked = marcada
not_ticked = não marcada
time_span = das { $start } às { $end }
