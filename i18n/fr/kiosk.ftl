# Les mots de la borne en français (vouvoiement). Chaque id est le nom de
# sa fonction dans src/kiosk/strings/.

## Tous les écrans

continue = Continuer
back = Retour
up = Haut
down = Bas
key_enter = Entrée
key_esc = Échap
key_space = Espace
key_tab = Tab
decimal_mark = ,
label = { $name } :
top_bar = { $title } · borne { $kiosk }
enlarge = Veuillez agrandir la fenêtre
too_small = Cette borne a besoin d’au moins { $min } ; la fenêtre fait { $size }.
idle_warning = Toujours là ? Appuyez sur une touche pour avoir plus de temps
starting_over_in = Retour à l’accueil dans { $n } s
out_of_service_heading = Hors service
out_of_service = Cette borne est hors service ; veuillez en utiliser une autre.

## Scanner

scan_heading = Scannez votre badge
scan_help = Présentez votre badge sous le lecteur, ou tapez votre numéro de badge puis appuyez sur Entrée.
scan_field = Numéro de badge
badge_unknown = Badge non reconnu : adressez-vous au personnel du comptoir d’aide FMC.
staff = Personnel
next_language = Langue
choose_language = Langue : touchez-en une ou appuyez sur F2

## Bienvenue

welcome = Bienvenue, { $name }
welcome_question = Est-ce bien vous ?
yes_thats_me = Oui, c’est moi
not_me = Ce n’est pas moi

## Crédits

credit_heading = Crédits : choisissez ce que vous demandez
credit_none = Choisissez au moins un type de crédit.
moc_name = Obtenir aussi des points MOC de l’ABIM (facultatif)
moc_consent = J’accepte que l’achèvement MOC soit déclaré à l’ABIM via ACCME PARS
moc_consent_needed = Pour obtenir des points MOC, cochez l’accord de déclaration à l’ABIM.
epid = Identifiant e-Profile NABP
birth_mmdd = Mois et jour de naissance (MMJJ)
abim_id = Identifiant ABIM
role = Je suis
role_pharmacist = Pharmacien·ne
role_technician = Préparateur·rice en pharmacie
on_file = enregistré (tapez pour le remplacer)
on_file_ending = enregistré, se terminant par { $ending } (tapez pour le remplacer)
id_missing = saisissez votre { $field }
id_not_digits = l’{ $field } ne contient que des chiffres
id_length_exact = l’{ $field } compte { $lo } chiffres
id_length_range = l’{ $field } compte { $lo } ou { $hi } chiffres
mmdd_format = mois et jour de naissance en MMJJ, p. ex. 0314
mmdd_month = le mois { $month } n’est pas entre 01 et 12
mmdd_not_a_date = la date { $date } n’existe pas
epid_short = identifiant e-Profile
abim_short = identifiant ABIM
next = Suivant
tick_untick = Cocher / décocher
space_changes = (Espace pour changer)
credit_intro =
    { $profession ->
        [other] Vous pouvez demander ce qui suit.
       *[named] Pour votre profession ({ profession }), vous pouvez demander ce qui suit.
    } Espace coche ou décoche ; ↑ ↓ pour vous déplacer.
profession =
    { $profession ->
        [physician] médecin
        [physician_assistant] assistant·e médical·e
        [nurse] infirmier·ère
        [pharmacist] pharmacien·ne
       *[other] autre
    }

## Sessions

sessions_heading = Sessions : sélectionnez celles auxquelles vous avez assisté
filter = Filtre
filter_hint = tapez pour filtrer par titre, thème ou salle
no_match = Aucune session ne correspond au filtre.
claimed_earlier = déjà demandé
not_ended = pas encore finie
no_credit = aucun crédit pour vous
simultaneous = en même temps qu’une cochée
scanned_at_door = scannée à l’entrée
scanned_note = Cochées à l’entrée : décochez (Espace) celles que vous n’avez pas suivies.
whole = entière
select_first = Sélectionnez d’abord la session (Espace), puis ajustez avec + et −.
acpe_whole = Les sessions ACPE se demandent entières : NABP CPE Monitor crédite les heures enregistrées pour chaque session.
why_claimed_earlier = Vous avez déjà demandé cette session lors d’une visite précédente.
why_not_ended = Cette session n’est pas encore terminée ; demandez-la une fois finie.
why_no_credit = Cette session n’offre aucun crédit du type que vous demandez.
why_no_uan = Cette session n’a pas de numéro d’activité ACPE pour votre fonction ; CPE Monitor ne peut donc pas l’enregistrer.
why_simultaneous_acpe = Vous avez coché une session ACPE à la même heure ; CPE Monitor n’en crédite qu’une. Décochez-la pour choisir celle-ci.
totals = Vos crédits
overlap_note = les sessions simultanées comptent une fois
cap_note = maximum de l’activité atteint
nothing_selected = Sélectionnez au moins une session à laquelle vous avez assisté (Espace).
records_changed = Votre dossier a changé pendant que vous répondiez (une demande faite sur une autre borne, ou une correction du personnel) : rien n’a encore été enregistré. Vérifiez vos sessions et appuyez sur Entrée pour continuer ; vos réponses sont conservées.
records_changed_dropped = Votre dossier a changé pendant que vous répondiez (une demande faite sur une autre borne, ou une correction du personnel) : rien n’a encore été enregistré. Ne pouvant plus être sélectionnées, ces sessions ont été décochées : { $dropped }. Appuyez sur Entrée pour continuer ; vos réponses sont conservées.
select = Cocher
more = Plus
less = Moins
filter_to_list = Tab ou ↓ : vers la liste
to_list = Liste
credits_short = { $amount } cr
claimed_of = { $claimed } sur { $designated }
of_max = sur { $max } { $credit }
day_heading = { $weekday } { $day } { $month_name }
weekday =
    { $d ->
        [1] lundi
        [2] mardi
        [3] mercredi
        [4] jeudi
        [5] vendredi
        [6] samedi
       *[7] dimanche
    }
weekday_short =
    { $d ->
        [1] lun.
        [2] mar.
        [3] mer.
        [4] jeu.
        [5] ven.
        [6] sam.
       *[7] dim.
    }
month =
    { $m ->
        [1] janvier
        [2] février
        [3] mars
        [4] avril
        [5] mai
        [6] juin
        [7] juillet
        [8] août
        [9] septembre
        [10] octobre
        [11] novembre
       *[12] décembre
    }

## Évaluation

evaluation_heading = Évaluation : question { $k } sur { $n }
required = Obligatoire
optional_skip = Facultative : Entrée sans réponse pour passer.
answer_required = Cette question demande une réponse.
continue_empty_skips = Continuer (vide : passer)
your_answer = votre réponse
chosen = choisi

## Attestation

attest_heading = Attestation : vérifiez et confirmez votre demande
claimed_this_visit = Demandé lors de cette visite :
claimed_earlier_visits = Demandé lors de visites précédentes :
what_counts = ce qui compte, règles appliquées, figure ci-dessous
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
credits_unit = crédits
and_more =
    { $n ->
        [one] et { $n } autre
       *[other] et { $n } autres
    }
agree = J’accepte : délivrer mon certificat
mail_to = Votre certificat sera aussi envoyé par courriel à
mail_declined = Pas de courriel cette fois : { $address } ne recevra rien pour cette visite.
no_mail = Pas de courriel
mail_after_all = Envoyer le courriel

## Certificat

cert_heading = Certificat : scannez ce code avec votre téléphone
cert_code = Code du certificat
cert_done = Vos crédits sont enregistrés. Ouvrez le lien pour consulter ou imprimer votre certificat.
done = Terminé

## Mode personnel

held_at_hub = En attente au serveur central
rejected_by_hub = Refusés
last_good_upload = Dernier envoi réussi
never = jamais
new_device_id = Nouvel identifiant d’appareil :
staff_pin_heading = Personnel : saisissez le code PIN
staff_heading = Mode personnel
enter_pin = Valider le PIN
cancel = Annuler
pin_prompt = Réservé au personnel. Saisissez le code PIN puis appuyez sur Entrée.
pin = PIN
pin_wrong =
    PIN erroné. Encore { $left ->
        [one] { $left } PIN erroné
       *[other] { $left } PIN erronés
    } et le mode personnel se verrouille pendant { $minutes ->
        [one] { $minutes } minute
       *[other] { $minutes } minutes
    }.
pin_locked =
    Le mode personnel est verrouillé après { $failures ->
        [one] { $failures } PIN erroné
       *[other] { $failures } PIN erronés
    }. Réessayez après { $until }.
menu_find = Rechercher un participant : demandes, réémettre le QR, annuler une demande
menu_walk_in = Ajouter un participant non inscrit
menu_upload = Envoyer maintenant
menu_audit = Journal d’audit
menu_lock = Verrouiller cette borne (hors service)
menu_quit = Quitter le programme
menu_enrol = Inscrire cette borne auprès du hub (code du bureau CE)
field_first_name = Prénom
field_last_name = Nom
field_degree = Titre
field_profession = Profession
field_email = E-mail
field_badge_id = N° de badge (vide : un est créé)
leave_staff_mode = Quitter le mode personnel
open = Ouvrir
open_attendee = Ouvrir le participant
reissue_qr = Réémettre le QR
void_claim = Annuler la demande
void_with_reason = Annuler pour ce motif
register_and_claim = Inscrire et commencer la demande
change = Changer
next_field = Champ suivant
walk_in_no_name = Saisissez un prénom ou un nom.
not_an_email = « { $email } » n’est pas une adresse e-mail.
bad_badge_id = Un n° de badge ne contient pas d’espace et compte au plus 64 caractères.
no_certificate_yet = Ce participant n’a pas encore de certificat.
already_void = Cette demande est déjà annulée.
no_claims_for_attendee = Ce participant n’a aucune demande.
void_needs_reason = Une annulation demande un motif.
info_kiosk = Borne
info_event = Événement
info_database = Base de données
info_last_upload = Dernier envoi
info_counts = Participants { $attendees }   Demandes du jour { $claims }   Certificats { $certificates }   Non envoyés { $pending }
uploading_now = envoi en cours…
find_prompt = Nom, e-mail ou badge :
certificate_issued = Certificat { $code } délivré le { $at }
no_certificate = Pas encore de certificat
attendee_head = { $name }, { $degree } — badge { $badge } — { $profession } — { $email }
void_question = Annuler la demande pour { $title } ({ $credits } crédits) ?
reason_prompt = Motif :
no_claims = Aucune demande.
void_mark = ANNULÉE
could_not = Impossible : { $error }
no_attendee_with_badge = Aucun participant avec le badge { $badge }.
claim_voided = Demande annulée ; le certificat en tient compte.
upload_started = Envoi lancé ; le résultat s’affiche sous Dernier envoi.
no_hub = Aucun serveur central configuré ([sync] hub_url) ; les données restent sur cette borne.
no_sync_token = Cette borne n’a pas d’identifiants pour le hub : inscrivez-la (menu 7) ; d’ici là, les données restent sur cette borne.
enrol_prompt = Code d’inscription :
enrol_now = Inscrire
asking_the_hub = Interrogation du hub…
enrol_explained = Saisissez le code à usage unique que le bureau CE a créé pour cette borne (cekiosk hub add-kiosk, ou la page Kiosks du hub), ou scannez son code QR. Hub : { $hub }
enrolled_as = Inscrite comme borne { $kiosk } : elle envoie et signe désormais avec ses propres identifiants.
enrol_failed = Non inscrite : { $why }
hub_not_asked = Le hub n’a pas pu être interrogé : { $why }
upload_ok = ok : { $uploaded } envoyés ({ $rejected } refusés, { $held } en attente au serveur central), { $downloaded } reçus
upload_failed = échec : { $error }

## Speech and large text (F3, F4, F5)

full_stop = .
key_up_name = Flèche haut
key_down_name = Flèche bas
key_plus_name = Plus
key_minus_name = Moins
speech_status =
    { $on ->
        [yes] La voix est activée : F3 la coupe, F4 répète.
       *[no] La voix est coupée : F3 l’active.
    }
large_status =
    { $on ->
        [yes] Le grand texte est activé : F5 le désactive.
       *[no] Le grand texte est désactivé : F5 l’active.
    }
speech_off = Voix coupée.
ticked = cochée
not_ticked = non cochée
time_span = de { $start } à { $end }
