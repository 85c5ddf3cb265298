# 自助机界面文字（简体中文）。每个 id 即 src/kiosk/strings/ 中对应函数的名称。

## 所有界面

continue = 继续
back = 返回
up = 上移
down = 下移
key_enter = Enter
key_esc = Esc
key_space = 空格
key_tab = Tab
decimal_mark = .
label = { $name }：
top_bar = { $title } · 自助机 { $kiosk }
enlarge = 请放大窗口
too_small = 本自助机至少需要 { $min }；当前窗口为 { $size }。
idle_warning = 还在吗？按任意键延长时间
starting_over_in = { $n } 秒后返回首页
out_of_service_heading = 暂停服务
out_of_service = 本自助机暂停服务，请使用其他自助机。

## 扫描

scan_heading = 请扫描您的胸卡
scan_help = 请将胸卡置于扫描器下方，或输入胸卡号码后按 Enter。
scan_field = 胸卡号码
badge_unknown = 无法识别该胸卡，请到继续教育服务台咨询工作人员。
staff = 工作人员
next_language = 语言
choose_language = 语言：点选一种，或按 F2 切换

## 欢迎

welcome = 欢迎您，{ $name }
welcome_question = 这是您本人吗？
yes_thats_me = 是我本人
not_me = 不是我

## 学分

credit_heading = 学分 — 请选择您要申领的学分
credit_none = 请至少选择一种学分类型。
moc_name = 同时获取 ABIM MOC 积分（自愿选择）
moc_consent = 我同意通过 ACCME PARS 向 ABIM 报送我的 MOC 完成情况
moc_consent_needed = 如需获得 MOC 积分，请勾选同意向 ABIM 报送。
epid = NABP e-Profile ID
birth_mmdd = 出生月日（MMDD）
abim_id = ABIM ID
role = 我的身份
role_pharmacist = 药师
role_technician = 药学技术员
on_file = 已存档（输入即可替换）
on_file_ending = 已存档，末位为 { $ending }（输入即可替换）
id_missing = 请输入您的 { $field }
id_not_digits = { $field } 只能包含数字
id_length_exact = { $field } 应为 { $lo } 位数字
id_length_range = { $field } 应为 { $lo } 或 { $hi } 位数字
mmdd_format = 请按 MMDD 格式输入出生月日，例如 0314
mmdd_month = 月份 { $month } 不在 01 至 12 之间
mmdd_not_a_date = { $date } 不是有效日期
epid_short = e-Profile ID
abim_short = ABIM ID
next = 下一步
tick_untick = 勾选 / 取消
space_changes = （按空格切换）
credit_intro =
    { $profession ->
        [other] 您可申领以下学分。
       *[named] 按您的职业（{ profession }），可申领以下学分。
    }空格键勾选或取消；↑ ↓ 移动。
profession =
    { $profession ->
        [physician] 医师
        [physician_assistant] 医师助理
        [nurse] 护士
        [pharmacist] 药师
       *[other] 其他
    }

## 场次

sessions_heading = 场次 — 请选择您参加过的场次
filter = 筛选
filter_hint = 输入标题、专题或会议室进行筛选
no_match = 没有符合筛选条件的场次。
claimed_earlier = 已申领
not_ended = 尚未结束
no_credit = 您不适用
simultaneous = 与已选场次同时
scanned_at_door = 入场已扫描
scanned_note = 已按入场扫描勾选：未参加的场次请按空格键取消。
whole = 整场
select_first = 请先选中该场次（空格键），再用 + 和 − 调整。
acpe_whole = ACPE 场次须整场申领：NABP CPE Monitor 按每个场次登记的学时计分。
why_claimed_earlier = 您已在之前的访问中申领过该场次。
why_not_ended = 该场次尚未结束，请在结束后申领。
why_no_credit = 该场次不提供您所申领类型的学分。
why_no_uan = 该场次没有适用于您身份的 ACPE 活动编号，CPE Monitor 无法记录。
why_simultaneous_acpe = 您已勾选同一时段的另一个 ACPE 场次，CPE Monitor 只计其中一个。取消那一场即可选择此场。
totals = 您的学分
overlap_note = 时间重叠的场次只计一次
cap_note = 已达本活动上限
nothing_selected = 请至少选择一个您参加过的场次（空格键）。
records_changed = 您作答期间记录发生了变化（在其他自助机上的申领，或工作人员的更正），因此尚未保存任何内容。请核对您的场次，按 Enter 继续；您的回答已保留。
records_changed_dropped = 您作答期间记录发生了变化（在其他自助机上的申领，或工作人员的更正），因此尚未保存任何内容。以下场次已不可选，已取消勾选：{ $dropped }。请按 Enter 继续；您的回答已保留。
select = 勾选
more = 增加
less = 减少
filter_to_list = Tab 或 ↓：转到列表
to_list = 列表
credits_short = { $amount } 学分
claimed_of = { $claimed } / { $designated }
of_max = / { $max } { $credit }
day_heading = { $month }月{ $day }日 { $weekday }
weekday =
    { $d ->
        [1] 星期一
        [2] 星期二
        [3] 星期三
        [4] 星期四
        [5] 星期五
        [6] 星期六
       *[7] 星期日
    }
weekday_short =
    { $d ->
        [1] 周一
        [2] 周二
        [3] 周三
        [4] 周四
        [5] 周五
        [6] 周六
       *[7] 周日
    }
month = { $m }月

## 评估

evaluation_heading = 评估 — 第 { $k } 题，共 { $n } 题
required = 必答
optional_skip = 选答 — 不填写直接按 Enter 即可跳过。
answer_required = 此题必须作答。
continue_empty_skips = 继续（留空跳过）
your_answer = 您的回答
chosen = 已选

## 声明

attest_heading = 声明 — 请核对并确认您的申领
claimed_this_visit = 本次申领：
claimed_earlier_visits = 之前已申领：
what_counts = 按规则计算后的结果见下方
sessions = { $n } 个场次
sessions_and_credits = { $n } 个场次，{ $amount } { $unit }
credits_unit = 学分
and_more = 另有 { $n } 项
agree = 我同意 — 签发证书
mail_to = 您的证书也将通过电子邮件发送至
mail_declined = 本次不发送邮件：{ $address } 不会收到本次访问的邮件。
no_mail = 不发邮件
mail_after_all = 发送邮件

## 证书

cert_heading = 证书 — 请用手机扫描此二维码
cert_code = 证书代码
cert_done = 您的学分已记录。打开链接即可查看或打印证书。
done = 完成

## 工作人员模式

held_at_hub = 中心服务器暂存
rejected_by_hub = 已拒收
last_good_upload = 上次成功上传
never = 从未
new_device_id = 新设备 ID：
staff_pin_heading = 工作人员 — 请输入 PIN
staff_heading = 工作人员模式
enter_pin = 确认 PIN
cancel = 取消
pin_prompt = 仅限工作人员。请输入 PIN 后按 Enter。
pin = PIN
pin_wrong = PIN 错误。再错 { $left } 次，工作人员模式将锁定 { $minutes } 分钟。
pin_locked = 连续 { $failures } 次 PIN 错误，工作人员模式已锁定。请于 { $until } 后重试。
menu_find = 查找参会者 — 申领记录、补发二维码、作废申领
menu_walk_in = 登记现场参会者
menu_upload = 立即上传
menu_audit = 审计日志
menu_lock = 锁定本机（暂停服务）
menu_quit = 退出程序
menu_enrol = 在中心服务器登记本机（CE 办公室提供的代码）
field_first_name = 名
field_last_name = 姓
field_degree = 学位
field_profession = 职业
field_email = 电子邮箱
field_badge_id = 胸卡 ID（留空则自动生成）
leave_staff_mode = 退出工作人员模式
open = 打开
open_attendee = 打开参会者
reissue_qr = 补发二维码
void_claim = 作废申领
void_with_reason = 以此原因作废
register_and_claim = 登记并开始申领
change = 切换
next_field = 下一项
walk_in_no_name = 请输入名或姓。
not_an_email = “{ $email }”不是有效的电子邮箱地址。
bad_badge_id = 胸卡 ID 不能含空格，且不超过 64 个字符。
no_certificate_yet = 该参会者尚无证书。
already_void = 该申领已作废。
no_claims_for_attendee = 该参会者没有申领记录。
void_needs_reason = 作废须填写原因。
info_kiosk = 自助机
info_event = 活动
info_database = 数据库
info_last_upload = 上次上传
info_counts = 参会者 { $attendees }   今日申领 { $claims }   证书 { $certificates }   未上传 { $pending }
uploading_now = 正在上传…
find_prompt = 姓名、邮箱或胸卡：
certificate_issued = 证书 { $code }，签发于 { $at }
no_certificate = 尚无证书
attendee_head = { $name }，{ $degree } — 胸卡 { $badge } — { $profession } — { $email }
void_question = 作废 { $title } 的申领（{ $credits } 学分）？
reason_prompt = 原因：
no_claims = 无申领记录。
void_mark = 已作废
could_not = 无法完成：{ $error }
no_attendee_with_badge = 没有胸卡为 { $badge } 的参会者。
claim_voided = 申领已作废，证书已同步更新。
upload_started = 已开始上传，结果将显示在“上次上传”处。
no_hub = 未配置中心服务器（[sync] hub_url），记录保留在本机。
no_sync_token = 本机没有中心服务器的凭据：请先登记（菜单 7）；在此之前记录保留在本机。
enrol_prompt = 登记代码：
enrol_now = 登记
asking_the_hub = 正在询问中心服务器…
enrol_explained = 请输入 CE 办公室为本机生成的一次性代码（cekiosk hub add-kiosk 或中心服务器的 Kiosks 页面），或扫描其二维码。中心服务器：{ $hub }
enrolled_as = 已登记为终端 { $kiosk }：今后本机使用自己的凭据上传和签名。
enrol_failed = 未能登记：{ $why }
hub_not_asked = 无法询问中心服务器：{ $why }
upload_ok = 成功：上传 { $uploaded } 条（拒收 { $rejected } 条，中心服务器暂存 { $held } 条），下载 { $downloaded } 条
upload_failed = 失败：{ $error }

## Speech and large text (F3, F4, F5)

full_stop = 。
key_up_name = 上箭头
key_down_name = 下箭头
key_plus_name = 加号
key_minus_name = 减号
speech_status =
    { $on ->
        [yes] 语音已开启：按 F3 关闭，按 F4 重听。
       *[no] 语音已关闭：按 F3 开启。
    }
large_status =
    { $on ->
        [yes] 大字已开启：按 F5 关闭。
       *[no] 大字已关闭：按 F5 开启。
    }
speech_off = 语音已关闭。
ticked = 已勾选
not_ticked = 未勾选
time_span = { $start }至{ $end }
