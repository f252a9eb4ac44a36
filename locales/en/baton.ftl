# Baton's messages in English. Every id here exists in every locale with the same
# variables (a test checks it). Command words (/lead ack), option names and reason codes
# stay English in every language.

## Buttons and platform chrome

action-ack = Acknowledge
action-contacted = Contacted
action-accept = Accept
action-reject = Reject
action-rate = Rate
rate-placeholder = Rate 1–5
footer-lead = Lead #{ $lead } · Baton
console-type = type

## The alert

alert-title = New MQL: { $lead }
field-lead = Lead
field-title = Title
field-email = Email
field-source = Source
field-score = Score
field-why = Why MQL
field-owner = Owner
field-assigned = Assigned
field-handoff = Handoff
no-source = (no source)
nobody = nobody
alert-sla = SLA: { $deadlines }
deadline-ack = acknowledge by { $due } ({ $relative })
deadline-first-touch = first touch by { $due } ({ $relative })
deadline-disposition = accept or reject by { $due } ({ $relative })

## Reminders: the clock, the time left and the one step that stops it

reminder-title-ack = Reminder: { $left } left to acknowledge lead #{ $lead } { $title }
reminder-title-first-touch = Reminder: { $left } left to make first contact with lead #{ $lead } { $title }
reminder-title-disposition = Reminder: { $left } left to accept or reject lead #{ $lead } { $title }
reminder-text-ack = The ack clock runs out { $due } ({ $relative }). To stop it, press Acknowledge or type /lead ack { $lead }.
reminder-text-first-touch = The first-touch clock runs out { $due } ({ $relative }). To stop it, press Contacted once you reached them, or type /lead contacted { $lead } [note].
reminder-text-disposition = The disposition clock runs out { $due } ({ $relative }). To stop it, press Accept or Reject, or type /lead accept { $lead } or /lead reject { $lead } REASON.

## Escalations: a deadline passed

breach-ack = SLA breached: acknowledge lead #{ $lead } { $title } was due { $due } ({ $late } late), assigned to { $assignee }
breach-first-touch = SLA breached: first touch lead #{ $lead } { $title } was due { $due } ({ $late } late), assigned to { $assignee }
breach-disposition = SLA breached: accept or reject lead #{ $lead } { $title } was due { $due } ({ $late } late), assigned to { $assignee }
missed-reminders = Reminders that fell due while Baton was not running ({ $count })
missed-breaches = SLA breaches while Baton was not running ({ $count })

## Updates to an alert, in place

update-title = Lead #{ $lead }: { $what }
update-acked = acknowledged by { $by }
update-contacted = contacted by { $by }
update-accepted = accepted by { $by }
update-rejected = rejected by { $by } ({ $reason })
update-rated = rated { $stars }/5 by { $by }
update-reassigned = reassigned to { $to }: { $why }
update-duplicate = also came in via { $via } at { $when } (lead { $record }); one handoff for one person
update-accepted-outside = accepted by a stage change to { $stage } outside Baton
update-rejected-outside = rejected by a stage change to { $stage } outside Baton

## Times and counts

span-seconds = { $s }s
span-minutes = { $m }m
span-hours = { $h }h { $m }m
span-days = { $d }d { $h }h
relative-future = in { $span }
relative-past = { $span } ago
count-leads =
    { $count ->
        [one] { $count } lead
       *[other] { $count } leads
    }

## Welcome back and the morning summary

alert-welcome-back = Welcome back, { $name }: this is your first lead since you returned.
summary-title = Good morning, { $name }
summary-welcome-back = Welcome back, { $name }! Leads come to you again at the rotation's fair rate.
summary-nothing-open = Nothing is open for you right now.
