# The certificate by e-mail: its subject and its words, in the language
# the attendee used at the kiosk. The designation and accreditation
# statements are not here: they stay the provider's official English text,
# on the certificate itself.
mail-subject = Your certificate: { $title }
mail-subject-changed = Your updated certificate: { $title }
mail-greeting = Dear { $name },
mail-ready = Thank you for taking part in { $title } ({ $dates }, { $location }). Your certificate is ready:
mail-changed = Your certificate for { $title } ({ $dates }, { $location }) has changed since our last message. Here it is as it stands now:
mail-open = Open your certificate
mail-credit-heading = Your credit
mail-held = Some of your claims are still being checked by the CE office; the certificate lists them.
mail-attached = The certificate is attached as a PDF. The link always shows your current total, with the PDF and a digital credential to download.
mail-why = You receive this message because you claimed credit at a kiosk of { $title }. We write again only if your certificate changes.
