# 이메일로 보내는 수료증. 참석자가 키오스크에서 사용한 언어로 씁니다. 인증
# 문구는 여기에 없습니다. 수료증에는 제공 기관의 공식 영어 문구가 그대로 있습니다.
mail-subject = 수료증: { $title }
mail-subject-changed = 수료증이 갱신되었습니다: { $title }
mail-greeting = { $name } 님께,
mail-ready = { $title }({ $dates }, { $location })에 참여해 주셔서 감사합니다. 수료증이 준비되었습니다:
mail-changed = 지난 메일 이후 { $title }({ $dates }, { $location }) 수료증이 바뀌었습니다. 현재 수료증은 다음과 같습니다:
mail-open = 수료증 열기
mail-credit-heading = 취득 학점
mail-held = 일부 신청은 아직 보수교육 사무국에서 확인 중입니다. 수료증에 해당 항목이 나와 있습니다.
mail-attached = 수료증을 PDF로 첨부했습니다. 링크에서는 항상 현재 합계를 볼 수 있으며 PDF와 디지털 인증서를 내려받을 수 있습니다.
mail-why = { $title } 키오스크에서 학점을 신청하셨기 때문에 이 메일을 받으셨습니다. 수료증이 바뀔 때에만 다시 연락드립니다.
