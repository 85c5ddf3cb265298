# Le certificat par courriel, dans la langue utilisée à la borne. Les
# déclarations d'accréditation n'y sont pas : elles restent le texte
# officiel anglais du prestataire, sur le certificat.
mail-subject = Votre certificat : { $title }
mail-subject-changed = Votre certificat mis à jour : { $title }
mail-greeting = Bonjour { $name },
mail-ready = Merci d'avoir participé à { $title } ({ $dates }, { $location }). Votre certificat est prêt :
mail-changed = Votre certificat pour { $title } ({ $dates }, { $location }) a changé depuis notre dernier message. Le voici tel qu'il est maintenant :
mail-open = Ouvrir votre certificat
mail-credit-heading = Vos crédits
mail-held = Certaines de vos demandes sont encore vérifiées par le bureau de formation continue ; le certificat les indique.
mail-attached = Le certificat est joint en PDF. Le lien montre toujours votre total actuel, avec le PDF et une attestation numérique à télécharger.
mail-why = Vous recevez ce message parce que vous avez demandé des crédits à une borne de { $title }. Nous ne vous écrirons à nouveau que si votre certificat change.
