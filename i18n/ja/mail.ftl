# メールで送る修了証。参加者がキオスクで使った言語で書きます。認定に関する記載は
# ここにはありません。修了証の上で、提供者の公式な英語の文面のままです。
mail-subject = 修了証：{ $title }
mail-subject-changed = 修了証が更新されました：{ $title }
mail-greeting = { $name } 様
mail-ready = { $title }（{ $dates }、{ $location }）にご参加いただきありがとうございました。修了証の準備ができました：
mail-changed = 前回のご連絡以降、{ $title }（{ $dates }、{ $location }）の修了証が変わりました。現在の修了証はこちらです：
mail-open = 修了証を開く
mail-credit-heading = 取得単位
mail-held = 一部の申請は継続教育事務局で確認中です。修了証にその一覧があります。
mail-attached = 修了証を PDF で添付しています。リンク先では常に現在の合計が表示され、PDF とデジタル証明書をダウンロードできます。
mail-why = このメールは、{ $title } のキオスクで単位を申請された方にお送りしています。修了証が変わった場合にのみ、再度ご連絡します。
