# El certificado por correo electrónico, en el idioma que el asistente usó
# en el quiosco. Las declaraciones de acreditación no están aquí: siguen
# siendo el texto oficial en inglés del proveedor, en el certificado.
mail-subject = Su certificado: { $title }
mail-subject-changed = Su certificado actualizado: { $title }
mail-greeting = Estimado/a { $name }:
mail-ready = Gracias por participar en { $title } ({ $dates }, { $location }). Su certificado está listo:
mail-changed = Su certificado de { $title } ({ $dates }, { $location }) ha cambiado desde nuestro último mensaje. Así queda ahora:
mail-open = Abrir su certificado
mail-credit-heading = Sus créditos
mail-held = La oficina de educación continua aún está revisando algunas de sus solicitudes; el certificado indica cuáles.
mail-attached = El certificado va adjunto en PDF. El enlace muestra siempre su total actual, con el PDF y una credencial digital para descargar.
mail-why = Recibe este mensaje porque solicitó créditos en un quiosco de { $title }. Solo volveremos a escribirle si su certificado cambia.
