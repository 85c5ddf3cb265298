# Das Zertifikat per E-Mail, in der Sprache, die am Kiosk gewählt wurde.
# Die Akkreditierungserklärungen stehen nicht hier: Sie bleiben der
# offizielle englische Text des Anbieters, auf dem Zertifikat.
mail-subject = Ihr Zertifikat: { $title }
mail-subject-changed = Ihr aktualisiertes Zertifikat: { $title }
mail-greeting = Guten Tag { $name },
mail-ready = vielen Dank für Ihre Teilnahme an { $title } ({ $dates }, { $location }). Ihr Zertifikat ist bereit:
mail-changed = Ihr Zertifikat für { $title } ({ $dates }, { $location }) hat sich seit unserer letzten Nachricht geändert. So lautet es jetzt:
mail-open = Ihr Zertifikat öffnen
mail-credit-heading = Ihre Punkte
mail-held = Einige Ihrer Angaben prüft das Fortbildungsbüro noch; das Zertifikat nennt sie.
mail-attached = Das Zertifikat liegt als PDF bei. Der Link zeigt immer Ihren aktuellen Stand, mit dem PDF und einem digitalen Nachweis zum Herunterladen.
mail-why = Sie erhalten diese Nachricht, weil Sie an einem Kiosk von { $title } Punkte beantragt haben. Wir schreiben Ihnen nur wieder, wenn sich Ihr Zertifikat ändert.
