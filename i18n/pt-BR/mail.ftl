# O certificado por e-mail, no idioma usado no quiosque. As declarações de
# acreditação não estão aqui: continuam sendo o texto oficial em inglês do
# provedor, no certificado.
mail-subject = Seu certificado: { $title }
mail-subject-changed = Seu certificado atualizado: { $title }
mail-greeting = Olá, { $name },
mail-ready = obrigado por participar de { $title } ({ $dates }, { $location }). Seu certificado está pronto:
mail-changed = Seu certificado de { $title } ({ $dates }, { $location }) mudou desde a nossa última mensagem. Veja como ele está agora:
mail-open = Abrir seu certificado
mail-credit-heading = Seus créditos
mail-held = Algumas das suas solicitações ainda estão em análise pelo escritório de educação continuada; o certificado indica quais.
mail-attached = O certificado vai anexado em PDF. O link mostra sempre o seu total atual, com o PDF e uma credencial digital para baixar.
mail-why = Você recebe esta mensagem porque solicitou créditos em um quiosque de { $title }. Só voltaremos a escrever se o seu certificado mudar.
