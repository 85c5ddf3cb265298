# 受付端末の表示文言（日本語・です／ます調）。各 id は src/kiosk/strings/ の
# 関数名と同じです。

## 全画面共通

continue = 次へ
back = 戻る
up = 上へ
down = 下へ
key_enter = Enter
key_esc = Esc
key_space = スペース
key_tab = Tab
decimal_mark = .
label = { $name }：
top_bar = { $title } · 端末 { $kiosk }
enlarge = ウィンドウを大きくしてください
too_small = この端末には { $min } 以上の画面が必要です（現在 { $size }）。
idle_warning = まだ操作中ですか？ いずれかのキーを押すと時間を延長します
starting_over_in = あと { $n } 秒で最初の画面に戻ります
out_of_service_heading = 休止中
out_of_service = この端末は現在ご利用いただけません。別の端末をご利用ください。

## スキャン

scan_heading = 参加証をスキャンしてください
scan_help = 参加証をスキャナーにかざすか、参加証番号を入力して Enter を押してください。
scan_field = 参加証番号
badge_unknown = 参加証を認識できません。CME ヘルプデスクのスタッフにお尋ねください。
staff = スタッフ
next_language = 言語
choose_language = 言語：タップするか F2 で切り替え

## ようこそ

welcome = ようこそ、{ $name } 様
welcome_question = ご本人ですか？
yes_thats_me = はい、本人です
not_me = 本人ではありません

## 単位

credit_heading = 単位 — 申請する単位を選んでください
credit_none = 単位の種類を一つ以上選んでください。
moc_name = ABIM MOC ポイントも取得する（任意）
moc_consent = MOC の修了を ACCME PARS 経由で ABIM に報告することに同意します
moc_consent_needed = MOC ポイントを取得するには、ABIM への報告に同意してください。
epid = NABP e-Profile ID
birth_mmdd = 誕生月日（MMDD）
abim_id = ABIM ID
role = 職種
role_pharmacist = 薬剤師
role_technician = 薬局テクニシャン
on_file = 登録済み（入力すると置き換えます）
on_file_ending = 登録済み、末尾 { $ending }（入力すると置き換えます）
id_missing = { $field } を入力してください
id_not_digits = { $field } は数字のみです
id_length_exact = { $field } は { $lo } 桁です
id_length_range = { $field } は { $lo } 桁または { $hi } 桁です
mmdd_format = 誕生月日を MMDD で入力してください（例：0314）
mmdd_month = { $month } 月は 01〜12 の範囲外です
mmdd_not_a_date = { $date } は存在しない日付です
epid_short = e-Profile ID
abim_short = ABIM ID
next = 次へ
tick_untick = 選択 / 解除
space_changes = （スペースで切り替え）
credit_intro =
    { $profession ->
        [other] 次の単位を申請できます。
       *[named] { profession }として、次の単位を申請できます。
    }スペースで選択・解除、↑ ↓ で移動します。
profession =
    { $profession ->
        [physician] 医師
        [physician_assistant] フィジシャン・アシスタント
        [nurse] 看護師
        [pharmacist] 薬剤師
       *[other] その他の職種
    }

## セッション

sessions_heading = セッション — 参加したセッションを選んでください
filter = 絞り込み
filter_hint = タイトル・分野・会場名を入力して絞り込み
no_match = 条件に合うセッションはありません。
claimed_earlier = 申請済み
not_ended = 未終了
no_credit = 対象外
simultaneous = 選択済みと同時刻
scanned_at_door = 入場時に記録
scanned_note = 入場記録で選択済み。不参加のセッションはスペースで解除してください。
whole = 全時間
select_first = 先にセッションを選択（スペース）してから、+ と − で調整してください。
acpe_whole = ACPE のセッションは全時間でのみ申請できます。NABP CPE Monitor は各セッションの登録時間で単位を認定します。
why_claimed_earlier = このセッションは以前の来訪時に申請済みです。
why_not_ended = このセッションはまだ終了していません。終了後に申請してください。
why_no_credit = このセッションには、申請中の種類の単位がありません。
why_no_uan = このセッションにはあなたの職種向けの ACPE 活動番号がないため、CPE Monitor に記録できません。
why_simultaneous_acpe = 同じ時間帯の ACPE セッションを選択済みです。CPE Monitor が認定するのはどちらか一つです。こちらを選ぶには、先にあちらの選択を解除してください。
totals = 取得単位
overlap_note = 時間が重なるセッションは一回分として計算
cap_note = 本活動の上限に達しました
nothing_selected = 参加したセッションを一つ以上選んでください（スペース）。
records_changed = 回答中に記録が変更されたため（別の端末での申請、またはスタッフによる訂正）、まだ何も保存されていません。セッションを確認し、Enter を押して続けてください。回答はそのまま残っています。
records_changed_dropped = 回答中に記録が変更されたため（別の端末での申請、またはスタッフによる訂正）、まだ何も保存されていません。選択できなくなったため解除しました：{ $dropped }。Enter を押して続けてください。回答はそのまま残っています。
select = 選択
more = 増やす
less = 減らす
filter_to_list = Tab または ↓ で一覧へ
to_list = 一覧
credits_short = { $amount } 単位
claimed_of = { $claimed } / { $designated }
of_max = / { $max } { $credit }
day_heading = { $month }月{ $day }日（{ $weekday }）
weekday =
    { $d ->
        [1] 月
        [2] 火
        [3] 水
        [4] 木
        [5] 金
        [6] 土
       *[7] 日
    }
weekday_short =
    { $d ->
        [1] (月)
        [2] (火)
        [3] (水)
        [4] (木)
        [5] (金)
        [6] (土)
       *[7] (日)
    }
month = { $m }月

## 評価

evaluation_heading = 評価 — 質問 { $k } / { $n }
required = 必須
optional_skip = 任意 — 未入力のまま Enter で次へ進みます。
answer_required = この質問には回答が必要です。
continue_empty_skips = 次へ（未入力はスキップ）
your_answer = 回答
chosen = 選択中

## 確認

attest_heading = 確認 — 申請内容を確認してください
claimed_this_visit = 今回の申請：
claimed_earlier_visits = 以前の申請：
what_counts = 規則を適用した認定単位は下記のとおりです
sessions = { $n } セッション
sessions_and_credits = { $n } セッション、{ $amount } { $unit }
credits_unit = 単位
and_more = ほか { $n } 件
agree = 同意して修了証を発行する
mail_to = 修了証は次のアドレスにもメールで届きます：
mail_declined = 今回はメールを送りません：{ $address } に今回の分は届きません。
no_mail = メール不要
mail_after_all = メールで送る

## 修了証

cert_heading = 修了証 — このコードをスマートフォンで読み取ってください
cert_code = 修了証コード
cert_done = 単位を記録しました。リンクを開くと修了証を表示・印刷できます。
done = 完了

## スタッフモード

held_at_hub = 中央サーバーで保留
rejected_by_hub = 却下
last_good_upload = 最終正常送信
never = なし
new_device_id = 新しい端末 ID：
staff_pin_heading = スタッフ — PIN を入力してください
staff_heading = スタッフモード
enter_pin = PIN を確定
cancel = キャンセル
pin_prompt = スタッフ専用です。PIN を入力して Enter を押してください。
pin = PIN
pin_wrong = PIN が違います。あと { $left } 回間違えると、スタッフモードが { $minutes } 分間ロックされます。
pin_locked = PIN を { $failures } 回間違えたため、スタッフモードはロック中です。{ $until } 以降にもう一度お試しください。
menu_find = 参加者を検索 — 申請内容、QR の再発行、申請の取り消し
menu_walk_in = 当日参加者を登録
menu_upload = 今すぐ送信
menu_audit = 監査ログ
menu_lock = この端末をロック（休止中）
menu_quit = プログラムを終了
menu_enrol = この端末をハブに登録（CE事務局のコード）
field_first_name = 名
field_last_name = 姓
field_degree = 学位
field_profession = 職種
field_email = メールアドレス
field_badge_id = 参加証 ID（空欄なら自動作成）
leave_staff_mode = スタッフモードを終了
open = 開く
open_attendee = 参加者を開く
reissue_qr = QR を再発行
void_claim = 申請を取り消す
void_with_reason = この理由で取り消す
register_and_claim = 登録して申請を始める
change = 切り替え
next_field = 次の項目
walk_in_no_name = 名または姓を入力してください。
not_an_email = 「{ $email }」はメールアドレスではありません。
bad_badge_id = 参加証 ID には空白を含めず、64 文字以内にしてください。
no_certificate_yet = この参加者にはまだ修了証がありません。
already_void = その申請はすでに取り消されています。
no_claims_for_attendee = この参加者には申請がありません。
void_needs_reason = 取り消しには理由が必要です。
info_kiosk = 端末
info_event = 学会
info_database = データベース
info_last_upload = 最終送信
info_counts = 参加者 { $attendees }   本日の申請 { $claims }   修了証 { $certificates }   未送信 { $pending }
uploading_now = 送信中…
find_prompt = 氏名・メール・参加証：
certificate_issued = 修了証 { $code }（{ $at } 発行）
no_certificate = 修了証はまだありません
attendee_head = { $name }、{ $degree } — 参加証 { $badge } — { $profession } — { $email }
void_question = { $title } の申請（{ $credits } 単位）を取り消しますか？
reason_prompt = 理由：
no_claims = 申請はありません。
void_mark = 取消済み
could_not = 実行できませんでした：{ $error }
no_attendee_with_badge = 参加証 { $badge } の参加者はいません。
claim_voided = 申請を取り消しました。修了証にも反映されています。
upload_started = 送信を開始しました。結果は「最終送信」に表示されます。
no_hub = 中央サーバーが設定されていません（[sync] hub_url）。記録はこの端末に保存されます。
no_sync_token = この端末にはハブの認証情報がありません。登録してください（メニュー 7）。それまで記録はこの端末に保存されます。
enrol_prompt = 登録コード：
enrol_now = 登録
asking_the_hub = ハブに問い合わせています…
enrol_explained = CE事務局がこの端末用に発行したワンタイムコード（cekiosk hub add-kiosk またはハブの Kiosks ページ）を入力するか、QRコードを読み取ってください。ハブ：{ $hub }
enrolled_as = 端末 { $kiosk } として登録しました。以後、この端末自身の認証情報でアップロードと署名を行います。
enrol_failed = 登録できませんでした：{ $why }
hub_not_asked = ハブに問い合わせできませんでした：{ $why }
upload_ok = 成功：送信 { $uploaded } 件（却下 { $rejected } 件、中央サーバーで保留 { $held } 件）、受信 { $downloaded } 件
upload_failed = 失敗：{ $error }

## Speech and large text (F3, F4, F5)

full_stop = 。
key_up_name = 上矢印
key_down_name = 下矢印
key_plus_name = プラス
key_minus_name = マイナス
speech_status =
    { $on ->
        [yes] 音声読み上げはオンです。F3 でオフ、F4 でもう一度読み上げます。
       *[no] 音声読み上げはオフです。F3 でオンにします。
    }
large_status =
    { $on ->
        [yes] 大きな文字はオンです。F5 でオフにします。
       *[no] 大きな文字はオフです。F5 でオンにします。
    }
speech_off = 音声読み上げをオフにしました。
ticked = 選択済み
not_ticked = 未選択
time_span = { $start }から{ $end }
