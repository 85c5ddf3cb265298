# 通过电子邮件发送的证书，使用参会者在自助终端所用的语言。认证声明不在此处：
# 证书上仍为提供方的英文官方文本。
mail-subject = 您的证书：{ $title }
mail-subject-changed = 您的证书已更新：{ $title }
mail-greeting = { $name }，您好：
mail-ready = 感谢您参加 { $title }（{ $dates }，{ $location }）。您的证书已经生成：
mail-changed = 自上次来信以来，您在 { $title }（{ $dates }，{ $location }）的证书有所变化。以下是目前的证书：
mail-open = 打开您的证书
mail-credit-heading = 您的学分
mail-held = 继续教育办公室仍在核查您的部分申请；证书上列出了这些申请。
mail-attached = 证书以 PDF 附件发送。链接始终显示您当前的总学分，并可下载 PDF 和数字凭证。
mail-why = 您收到此邮件，是因为您在 { $title } 的自助终端申请了学分。只有当您的证书发生变化时，我们才会再次来信。
