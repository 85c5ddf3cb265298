# The certificate page's own words. The designation and accreditation
# statements are the provider's official English text and are not here.
cert-credit = Certificate of Credit
cert-participation = Certificate of Participation
cert-certifies = This certifies that
cert-participated = participated in the live activity { $title }, { $dates }, { $location }, provided by { $provider }.
cert-credit-heading = Credit
cert-pharmacy-heading = Pharmacy credit
cert-pharmacists = pharmacists
cert-technicians = pharmacy technicians
cert-pharmacy = Credit for { $who } is reported to NABP CPE Monitor under these Universal Activity Numbers: { $uans }. The official statement of credit comes from NABP CPE Monitor.
cert-moc-heading = ABIM Maintenance of Certification
cert-moc = { $points }. Completion is reported to ABIM through ACCME PARS.
cert-held-heading = Being checked
cert-held-note = These claims are kept and checked by the CE office; they are not part of the credit above unless the check finds they count.
cert-issued = Issued { $date }
cert-code = Certificate { $short } · id { $id }
cert-verify = Verify at
cert-download-pdf = Download PDF
cert-download-credential = Download the digital credential
cert-credential-note = (Open Badges 3.0, signed by { $provider })
cert-language = Language
cert-official-english = The accreditation statements are the provider's official English text.
cert-date = { $month }/{ $day }/{ $year }
cert-dates = { $from } – { $to }
# Why a claim is held (`hub::held`), shown beside it on this page; the CE
# office's pages and files and the kiosks read the English.
held-session-not-in-catalog = session { $session } is not in the hub's catalog
held-attendee-not-on-roster = attendee { $badge } is not on the hub's roster
held-over-designation = claims { $claimed } of session { $session }, now designated { $designated }
held-not-ended = session { $session } had not ended when it was claimed ({ $at })
held-shared-uan = shares its UAN with { $title }, and NABP credits a UAN once
held-acpe-partial = claimed for { $claimed } of its { $designated } hours; ACPE sessions are claimed whole
held-acpe-simultaneous = held at the same time as { $title }, which counts for ACPE
held-acpe-over-maximum = its ACPE hours would pass the activity's ACPE maximum
held-sequence-conflict = a different record at a sequence the hub already holds for device { $device } (a kiosk restored from a backup, or cloned); the kiosk sends it again under a new device id
