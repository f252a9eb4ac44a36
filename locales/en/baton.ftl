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
console-chart = Chart

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

## Usage errors: what was wrong in a typed command (the usage line after it stays as written)

usage-label = usage
usage-empty = the command is empty: try /lead, /funnel, /sla or /baton help
usage-unknown-command = unknown command { $command }: try /lead, /funnel, /sla or /baton help
usage-lead-what = what should /lead do? use ack, contacted, accept, reject, rate, show, why, mine, reassign, snooze or handback
usage-unknown-lead-command = unknown /lead command { $sub }: use ack, contacted, accept, reject, rate, show, why, mine, reassign, snooze or handback
usage-unknown-baton-command = unknown /baton command { $sub }: use help, link, confirm, links, away, back or who
usage-reason-needed = a reason is needed: one of { $reasons }
usage-unknown-reason = unknown reason { $reason }: use one of { $reasons }
usage-unknown-dimension = unknown dimension { $word }: use source, campaign, rep or team
usage-reassign-who = who should get the lead? give their email, like ana@example.com
usage-by-needs-dimension = "by" needs a dimension: source, campaign, rep or team
usage-funnel-split-once = the funnel can be split only one way: give "by" once
usage-not-period-but-dimension = { $word } is not a period: to split the funnel, write "by { $dimension }"
usage-one-period = only one period is allowed, but { $word } is a second
usage-customers-range = { $value } customers cannot be planned: give a whole number from 1 to 1000000
usage-plan-how-many = how many customers? e.g. /funnel plan 12 customers
usage-plan-not-a-number = { $word } is not a number of customers: write it like /funnel plan 12 customers
usage-plan-customers = a plan is for customers: write "{ $count } customers"
usage-plan-customers-not = a plan is for customers: write "{ $count } customers", not { $word }
usage-basis-needs-period = "basis" needs a period, e.g. basis 180d
usage-basis-once = give "basis" once
usage-plan-by-not = a plan splits by source or campaign, not by { $dimension }
usage-plan-by-needs = "by" needs source or campaign
usage-plan-split-once = the plan can be split only one way: give "by" once
usage-plan-one-period = only one period is allowed, but { $word } is a second (the conversions' period is written "basis { $basis }")
usage-link-email = an email is needed: the one you use in Baton, like ana@example.com
usage-confirm-whose = whose link? give their Discord user, like @ann or 2002
usage-away-how-long = for how long? give today, a number of days like 3d, or dates like 2026-12-20..2027-01-03
usage-not-one-lead = { $word } is not a lead: give one lead number, like 12, or one external id
usage-not-discord-user = { $word } is not a Discord user: mention them (@ann) or give their user id
usage-lead-needed = a lead is needed: its number, like 12, or its external id, like crm-778
usage-not-a-lead = { $word } is not a lead: a lead number is a whole number from 1 up
usage-how-long = how long? give a duration like 30m, 2h or 1h30m
usage-too-short = { $word } is too short: snooze for at least a second, e.g. 30m
usage-not-a-duration = { $word } is not a duration: write a number and a unit (s, m, h, d), e.g. 30m, 2h or 1h30m
usage-rating-needed = a rating is needed: a whole number from 1 to 5
usage-not-a-rating = { $word } is not a rating: use a whole number from 1 to 5
usage-not-an-email = { $word } is not an email address: use one like ana@example.com
usage-too-many = too many words: { $word } is not expected here
period-not-a-period = "{ $word }" is not a period: use 7d, 30d, 90d, this-week, last-week, this-month, last-month, this-quarter, last-quarter or 2026-01-01..2026-03-31
period-days-out-of-range = "{ $word }" is not a period: the number of days must be from 1 to 3660
period-bad-date = "{ $word }" is not a date: write dates as YYYY-MM-DD, like 2026-01-31
period-end-before-start = the period { $from }..{ $to } ends before it starts

## /baton help (command words and placeholders stay English in every language)

help =
    Baton commands (answers are private: only you see them):
    /lead ack LEAD - you are on it (stops the first-response clock)
    /lead contacted LEAD [note] - you reached the lead
    /lead accept LEAD [note] - the lead is a real opportunity
    /lead reject LEAD REASON [note] - the lead is not for sales; REASON is one of not_a_fit, no_budget, no_authority, no_need, bad_timing, bad_contact, duplicate, competitor, spam, other
    /lead rate LEAD 1-5 [note] - rate the lead's quality
    /lead show LEAD - the lead and its history
    /lead why LEAD - why the lead went to its assignee: every candidate and why each was skipped (the assignee, their manager and admins)
    /lead mine - your open leads
    /lead reassign LEAD EMAIL - hand the lead to someone else
    /lead snooze LEAD DURATION - the next reminder later, e.g. /lead snooze 12 30m (once per clock, not past its deadline; your manager is told)
    /lead handback LEAD [reason] - give your lead back to the rotation, once, before a breach
    /funnel [PERIOD] [by source|campaign|rep|team] [chart] [share] - the lead funnel; with share it is posted to the channel for everyone there
    /funnel plan N customers [PERIOD] [basis PERIOD] [by source|campaign] [chart] - what each stage must deliver for N customers (default this-quarter, from the last 90d's conversions)
    /sla [PERIOD] [TEAM] - response times against the SLA; a clock counts for whoever held the lead when it was met or ran out, and every clock that ran out is a breach
    /baton link EMAIL - link your Discord account to your Baton user
    /baton confirm USER - confirm someone's Discord link (their manager for reps, else an admin)
    /baton links - the Discord links and their history (managers and admins)
    /baton away [EMAIL] today|3d|2026-12-20..2027-01-03 [note] - away: no new leads until then (yourself; a manager for their team's reps)
    /baton back [EMAIL] - available again from now
    /baton who [TEAM] - who is available, away or outside hours, with open leads
    /baton help - this help
    LEAD is a number like 12 or an external id like crm-778. PERIOD is 7d, 30d (the default), 90d, this-week, last-week, this-month, last-month, this-quarter, last-quarter or 2026-01-01..2026-03-31.

## Refusals: who may do what

refuse-not-yours = only the assignee ({ $assignee }), their manager or an admin can do that
refuse-availability-not-your-rep = { $person } is not a rep of a team you manage: a manager sets availability for their own team's reps only
refuse-availability-own-only = you can set only your own availability, not { $person }'s: their manager or an admin can
refuse-reassign = only the team's manager or an admin can reassign a lead
refuse-handback-decided =
    lead #{ $lead } was already { $status ->
        [accepted] accepted
        [rejected] rejected
       *[other] { $status }
    }: there is nothing to hand back
    usage: /lead handback LEAD [reason]
refuse-handback-not-yours =
    lead #{ $lead } is not yours (it is assigned to { $assignee }): only its assignee can hand it back; a manager moves it with /lead reassign
    usage: /lead handback LEAD [reason]
refuse-handback-twice =
    you already handed lead #{ $lead } back at { $at }: a lead can be handed back once; ask your manager to reassign it (/lead reassign)
    usage: /lead handback LEAD [reason]
refuse-handback-breached =
    the { $clock ->
        [ack] acknowledge
        [first_touch] first touch
        [disposition] accept or reject
       *[other] { $clock }
    } SLA of lead #{ $lead } already ran out while you held it: a lead can be handed back only before a breach; ask your manager to reassign it (/lead reassign)
    usage: /lead handback LEAD [reason]
refuse-confirm-role = { $person } is { $role ->
        [admin] an admin
        [manager] a manager
        [marketer] a marketer
       *[other] a { $role }
    }: only an admin can confirm a link to a manager, marketer or admin
refuse-confirm-manager = only { $person }'s team manager ({ $manager }) or an admin can confirm this link
refuse-confirm-no-manager = only { $person }'s team manager or an admin can confirm this link
refuse-links = only managers and admins can see the Discord links
refuse-unknown-person = { $who } is not a Baton user: ask an admin to add you as a [[person]] in the config (or link your account with /baton link EMAIL)

## Replies to commands

the-crm = the CRM
unknown-time = an unknown time
reply-who-when = { $by } at { $at }
reply-link-elsewhere = /baton link is for Discord, which cannot look people up by email: run it there. On Slack Baton finds you by email, and on the console you act as someone with @email
reply-no-such-lead = there is no lead { $lead }: use the number shown in the alert (e.g. /lead show 12) or the lead's external id
reply-no-handoff = lead #{ $lead } has no handoff: it has not been an MQL
reply-already-acked = lead #{ $lead } was already acknowledged by { $who }
reply-acked = Acknowledged lead #{ $lead }: { $name }.
reply-already-contacted = contact with lead #{ $lead } was already recorded at { $at }
reply-contacted = Recorded first contact with lead #{ $lead }.
reply-already-decided = lead #{ $lead } was already { $status ->
        [accepted] accepted
        [rejected] rejected
       *[other] { $status }
    } by { $who }
reply-decided = Lead #{ $lead } { $status ->
        [accepted] accepted
        [rejected] rejected
       *[other] { $status }
    }; its stage is now { $stage }.
reply-already-rated = lead #{ $lead } is already rated { $stars }
reply-rated = Rated lead #{ $lead } { $stars }/5. Thank you: marketing sees this in /funnel.
reply-why-no-handoff = lead #{ $lead } has no handoff: it has not been an MQL, so nobody was chosen
reply-why-not-allowed = only the assignee ({ $assignee }), their manager or an admin can see why lead #{ $lead } went to them
reply-why-no-decision = handoff #{ $handoff } of lead #{ $lead } has no stored routing decision
reply-why-title = Why lead #{ $lead } ({ $name }) went to { $assignee } (handoff #{ $handoff }, routed { $when }):
reply-why-reassigned-since = Since then the lead was reassigned to { $assignee } (see /lead show { $lead }).
reply-reassign-unknown =
    { $to } is not a Baton user: reassign to someone listed as a [[person]]
    usage: /lead reassign LEAD EMAIL
reply-no-open-handoff = lead #{ $lead } has no open handoff to reassign
reply-already-assigned = lead #{ $lead } is already assigned to { $to }
reply-reassigned = Lead #{ $lead } is now assigned to { $to }; the SLA clocks keep running from the MQL time.
reply-handback-nobody = nobody else can take lead #{ $lead } now ({ $reason }): it stays with you; ask your manager to reassign it (/lead reassign)
reply-handed-back = Lead #{ $lead } is back in the rotation and now with { $name }. No breach is recorded for you.

## /lead mine

mine-none = You have no open handoffs.
mine-title = Your open handoffs ({ $count }):
mine-line = #{ $lead } { $name }: open for { $age }, { $acked ->
        [yes] acked
       *[no] not acked
    }
mine-own-window = your own window since { $since } (reassigned to you)

## The clocks of a handoff (/lead show, /lead mine)

clock-ack = acknowledge
clock-first-touch = first touch
clock-disposition = accept or reject
clock-line = { $clock } by { $due }: { $state }
clock-met = met
clock-breached-late = breached, { $late } late
clock-stopped = stopped
clock-breached-ago = BREACHED { $ago } ago
clock-left = { $left } left

## /lead show

show-title = Lead #{ $lead }: { $title }
field-stage = Stage
field-external-id = External id
field-company-size = Company size
show-no-handoffs = No handoffs yet.
show-handoff = Handoff #{ $handoff } ({ $status ->
        [open] open
        [accepted] accepted
        [rejected] rejected
       *[other] { $status }
    }) to { $assignee }, opened { $opened }
show-attached = Attached to
show-attached-line = { $when }: the same person's MQL, attached to handoff #{ $handoff } of lead #{ $lead } (one person, one handoff)

## The history of a handoff (stored with its arguments, shown in the reader's language)

why-stage-changed = stage changed { $from } → mql at { $at }
why-created = created as mql at { $at }
log-reminded = reminded: { $clock } due { $due }
log-snoozed = snoozed the { $clock } reminder for { $span }, until { $until }

## /lead snooze

snooze-stop-disposition = /lead accept { $lead } or /lead reject { $lead } REASON
snooze-no-open-handoff = lead #{ $lead } has no open handoff: there is no reminder to snooze
snooze-not-assignee = only the assignee ({ $assignee }) may snooze the reminders of lead #{ $lead }
snooze-nothing-to-come = no reminder of lead #{ $lead } is still to come: there is nothing to snooze
snooze-already = you already snoozed the { $clock } reminder of lead #{ $lead } (until { $until }): a clock can be snoozed once. To stop it, type { $stop }
snooze-past-deadline =
    a snooze of { $by } would reach the { $clock } deadline of lead #{ $lead } ({ $deadline }, in { $left }): snooze for less than { $left }, or stop the clock with { $stop }
    usage: /lead snooze LEAD DURATION
snooze-raced = the { $clock } reminder of lead #{ $lead } was snoozed already: a clock can be snoozed once
snooze-manager-told = { $name } was told.
snooze-done = Snoozed the { $clock } reminder of lead #{ $lead } for { $span }: the next one comes { $next } ({ $next_relative }); the deadline stays { $deadline } ({ $deadline_relative }).
snoozed-title = { $who } snoozed the { $clock } reminder of lead #{ $lead } { $title } for { $span }
snoozed-text = Next reminder { $next } ({ $next_relative }); the { $clock } deadline stays { $deadline } ({ $deadline_relative }).

## /baton away, back, who

away-over =
    { $period } is over (today is { $today } for { $person }): give today or later days
    usage: /baton away [PERSON] today|3d|YYYY-MM-DD..YYYY-MM-DD [note]
away-told = { $person } is away { $first } to { $last } (set by { $by }): no new leads go to them until then
away-told-note = { $person } is away { $first } to { $last } (set by { $by }): no new leads go to them until then. Note: { $note }
away-done = { $who ->
        [you] You are
       *[other] { $who } is
    } away from { $first } to { $last }: no new leads until then. /baton back ends it early.
back-told = { $person } is back (set by { $by }): new leads go to them again
back-done = { $who ->
        [you] Welcome back: you get
       *[other] { $who } is back and gets
    } new leads again, at the rotation's fair rate (no catching up on the ones missed).
who-team = Team { $team }:
who-open = { $count } open
who-open-of = { $count }/{ $max } open
who-away-until = away until { $last }
who-at-cap = at their cap
who-outside-hours = outside working hours
who-available = available
who-no-reps = no reps
who-no-teams = No teams are configured.

## /baton link, confirm, links

link-unknown-email = { $email } is not a Baton user: use your work email as it is in Baton's config (ask an admin to add you)
link-already-in-config = your Discord account is set in Baton's config as { $email }; nothing to link
link-email-in-config = { $email } has its Discord account set in Baton's config, so it cannot be linked; ask an admin if that is wrong
link-requested-manager = Link requested: <@{ $user }> as { $email }. It takes effect once your manager ({ $manager }) or an admin confirms it with /baton confirm @you.
link-requested-admin = Link requested: <@{ $user }> as { $email }. It takes effect once an admin confirms it with /baton confirm @you.
link-none-waiting = <@{ $user }> has no link waiting: they run /baton link EMAIL first
link-no-longer-user = { $email } is no longer a Baton user, so the link cannot be confirmed
link-confirm-in-config = { $email } has its Discord account set in Baton's config, so it cannot be linked
link-confirmed = Linked: <@{ $user }> is { $email } in Baton.
links-title = Discord links: { $count }
links-confirmed = { $email } = Discord user { $user } (confirmed by { $by })
links-waiting = { $email } ← Discord user { $user } (waiting since { $since })
links-unknown = unknown
links-history = History:
links-nothing-yet = nothing yet
links-someone = someone
links-log-requested = { $when } Discord user { $user } asked to be { $email }
links-log-confirmed = { $when } { $by } confirmed Discord user { $user } as { $email }

## Reject reasons as people read them (the codes stay English)

reason-not_a_fit = Not a fit
reason-no_budget = No budget
reason-no_authority = No authority
reason-no_need = No need
reason-bad_timing = Bad timing
reason-bad_contact = Bad contact
reason-duplicate = Duplicate
reason-competitor = Competitor
reason-spam = Spam
reason-other = Other
choice-source = source
choice-campaign = campaign
choice-rep = rep
choice-team = team

## Discord: errors in typed options, and the commands' descriptions

discord-option-missing = the option "{ $option }" is missing
discord-rating-needed = a rating from 1 to 5 is needed
discord-customers-needed = the number of customers is needed
discord-unknown-command = /{ $command } is not a Baton command: try /baton help (Baton's commands may need re-registering)
discord-unknown-subcommand = /{ $command } { $sub } is not a Baton command: try /baton help
discord-opt-lead = The lead's number (as in the alert) or its external id
discord-opt-note = A note for the record
discord-opt-period = 7d, 30d (default), 90d, this-week, last-month, this-quarter, 2026-01-01..2026-03-31
discord-opt-whose = Whose (their email); you when left out
discord-opt-team = A team's name
discord-lead = Work on a lead handed to sales
discord-lead-ack = You are on it: stops the first-response clock
discord-lead-ack-lead = { discord-opt-lead }
discord-lead-contacted = You reached the lead
discord-lead-contacted-lead = { discord-opt-lead }
discord-lead-contacted-note = { discord-opt-note }
discord-lead-accept = The lead is a real opportunity (to SQL)
discord-lead-accept-lead = { discord-opt-lead }
discord-lead-accept-note = { discord-opt-note }
discord-lead-reject = The lead is not for sales
discord-lead-reject-lead = { discord-opt-lead }
discord-lead-reject-reason = Why
discord-lead-reject-note = { discord-opt-note }
discord-lead-rate = Rate the lead's quality for marketing
discord-lead-rate-lead = { discord-opt-lead }
discord-lead-rate-stars = 1 (poor) to 5 (great)
discord-lead-rate-note = { discord-opt-note }
discord-lead-show = The lead, its history and its SLA clocks
discord-lead-show-lead = { discord-opt-lead }
discord-lead-why = Why the lead went to its assignee (assignee, manager, admins)
discord-lead-why-lead = { discord-opt-lead }
discord-lead-mine = Your open leads and the time left on each
discord-lead-reassign = Hand the lead to someone else (managers, admins)
discord-lead-reassign-lead = { discord-opt-lead }
discord-lead-reassign-person = The new assignee's email
discord-lead-snooze = Put off the next reminder (once per clock, before its deadline)
discord-lead-snooze-lead = { discord-opt-lead }
discord-lead-snooze-duration = How long, e.g. 30m, 2h or 1h30m
discord-lead-handback = Give your lead back to the rotation (once, before a breach)
discord-lead-handback-lead = { discord-opt-lead }
discord-lead-handback-reason = Why, for the record
discord-funnel = The lead funnel, and the reverse funnel plan
discord-funnel-report = The lead funnel and handoff outcomes
discord-funnel-report-period = { discord-opt-period }
discord-funnel-report-by = Group by
discord-funnel-report-chart = Add the funnel chart
discord-funnel-report-share = Post it to this channel for everyone (else only you see it)
discord-funnel-plan = What each stage must deliver for N customers, beside the pace
discord-funnel-plan-customers = Customers to win
discord-funnel-plan-period = When: this-quarter (default), this-month, this-week, 2027-01-01..2027-03-31
discord-funnel-plan-basis = Conversions measured over: 90d (default), 180d, last-quarter, ...
discord-funnel-plan-by = Split by
discord-funnel-plan-chart = Add the plan chart
discord-sla = Response times against the SLA
discord-sla-period = { discord-opt-period }
discord-sla-team = { discord-opt-team }
discord-baton = Help, and linking Discord accounts
discord-baton-help = What Baton can do
discord-baton-link = Link your Discord account to your Baton user
discord-baton-link-email = Your work email, as in Baton's config
discord-baton-confirm = Confirm someone's link (a rep's manager, else an admin)
discord-baton-confirm-user = The person who ran /baton link
discord-baton-links = The Discord links and their history (managers, admins)
discord-baton-away = Away: no new leads until then (yourself; managers for their reps)
discord-baton-away-period = today, 3d, 2026-12-24 or 2026-12-20..2027-01-03
discord-baton-away-person = { discord-opt-whose }
discord-baton-away-note = { discord-opt-note }
discord-baton-back = Available again from now
discord-baton-back-person = { discord-opt-whose }
discord-baton-who = Who is available, away or outside hours, with open leads
discord-baton-who-team = { discord-opt-team }

## Modals and pickers

modal-reject-title = Reject lead #{ $lead }
modal-contacted-title = Contacted lead #{ $lead }
modal-reason = Reason
modal-note = Note (optional)
modal-contacted-placeholder = How you reached them, what comes next
modal-rate-question = How good was lead #{ $lead }?
modal-cancel = Cancel
modal-reject-placeholder = Why is this lead not for sales?
modal-note-label = Note
modal-record-contact = Record contact
discord-how-to-link = Baton does not know your Discord account yet. Run /baton link you@company.com with your work email, then ask your manager or an admin to confirm it with /baton confirm @you.

## A reassigned alert, and the end of a cascade

note-by = by { $who }
note-handed-back = handed back
note-missed = { $clock ->
        [ack] ack missed
        [first_touch] first touch missed
       *[disposition] decision missed
    }
reassigned-to-you = Reassigned to you from { $from } ({ $note }): { $lead }
reassigned-to = Reassigned to { $to } from { $from } ({ $note }): { $lead }
field-waiting = Waiting
reassigned-waiting = since { $since } ({ $total } in total)
cascade-end = { $count ->
        [0] Not reassigned
        [one] Reassigned once after a breach
       *[other] Reassigned { $count } times after breaches
    } (max_reassign = { $max }): the lead stays with { $manager }, the team's manager.

## Routing: why a lead went to whom (/lead why, the alert's Assigned line)

route-had-it = { $name } already had this lead
route-away = { $name } is out of office until { $until }
route-at-cap = { $name } is at their cap ({ $open }/{ $max } open)
route-outside-hours = { $name } is outside working hours
route-owner-unknown = owner { $email } is not a known person
route-owner-not-selling = the lead's owner, { $name }, is { $role ->
        [admin] an admin
        [manager] a manager
        [marketer] a marketer
       *[other] a { $role }
    }
route-account-owner-not-selling = the owner of { $domain }, { $name }, is { $role ->
        [admin] an admin
        [manager] a manager
        [marketer] a marketer
       *[other] a { $role }
    }
route-account-no-owner = the account { $domain } has no owner
route-account-owner-unknown = the owner of { $domain } ({ $email }) is not a known person
route-account-owner-unavailable = account owner of { $domain }: { $why }
route-team-rule = rule { $rule } picked team { $team }
route-team-fallback = [routing] fallback_team is { $team }
route-team-owner = team { $team } is the owner's
route-team-first = no rule matched: team { $team } is the first one
route-owns-lead = owns the lead
route-owns-lead-rotation-only = owns the lead, but team { $team } routes by rotation only
route-owns-account = owns the account { $domain }
route-owns-memory = owns { $domain } (accepted its last lead, handoff { $handoff })
route-owns-but = { $owns }, but { $why }
route-owner = { $name } owns the lead
route-owner-of = { $name } { $owns }
route-owner-no-team = { $name } owns the lead (no team is configured)
route-no-team = no team is configured: add a [[team]] and [[person]] entries
route-owners-only = the team routes to owners only
route-rotation = round-robin in { $team }
route-rotation-night = round-robin in { $team } (nobody is within working hours now)
route-nobody-available = nobody on { $team } is available
route-turn = their weighted turn in { $team } (weight { $weight })
route-not-turn = available, but not their turn yet
route-with-notes = { $how }; { $notes }
route-to-manager = { $headline }: sent to the manager
route-to-manager-notes = { $headline } ({ $notes }): sent to the manager
route-manages = manages { $team }: { $headline }
why-assigned = Assigned to { $assignee }: { $summary }
why-team = Team: { $team }
why-domain = Company domain: { $domain }
why-no-candidates = No candidate list was kept for this decision (routed before Baton kept them).
why-chosen = ✓ chosen { $name } ({ $email }), { $step } step: { $why }
why-skipped = ✗ skipped { $name } ({ $email }), { $step } step: { $why }

## A handoff's history: assignments, reassignments and breaches

log-assigned = assigned to { $to }: { $why }
log-assigned-nobody = assigned to nobody: { $why }
log-no-alert-imported = no alert: loaded by baton import --history
log-no-alert-too-old = no alert: the change is older than watch.max_alert_age
log-reassigned = reassigned to { $to }: { $why }
log-fresh-window = fresh SLA window for { $to } from { $from }
log-breached = SLA breached: { $clock } was due { $due }
log-breached-silent = SLA breached: { $clock } was due { $due } (no alert for this handoff)
log-breached-stopped = SLA breached: { $clock } was due { $due }, stopped { $stopped }
log-breached-own-window = SLA breached: { $clock } was due { $due } in { $name }'s own window, stopped { $stopped }
why-handed-back = handed back by { $name }; { $why }
why-handed-back-because = handed back by { $name } ({ $reason }); { $why }
why-breach-reassigned = the { $clock } SLA was breached; { $why }
why-breach-to-manager = the { $clock } SLA was breached after { $count ->
        [one] 1 reassignment
       *[other] { $count } reassignments
    } (max_reassign): it stays with the team's manager

## Typed mistakes found after the grammar: a team, an away period

team-unknown = there is no team "{ $team }": use one of { $teams } (or no team for all)
team-unknown-none = there is no team "{ $team }": no teams are configured
away-days-out-of-range = "{ $word }" is too long or too short: away is 1d to 366d
away-not-a-period = "{ $word }" is not a period: use today, 3d, 2026-12-24 or 2026-12-20..2027-01-03
away-ends-before-start = "{ $word }" ends before it begins: write the first day first

## Notices when a command, button or form could not be handled

notice-slack-no-email = Baton cannot see your email address on Slack: ask an admin to add slack_id to your [[person]] in Baton's config
notice-slack-unreachable = Baton cannot reach Slack to find out who you are: try again in a minute
notice-shared = Posted to the channel for everyone there.
notice-share-failed = Baton could not post that to the channel; nothing was shared. Try again.
notice-failed = Something went wrong on Baton's side; nothing was changed. Try again, or tell an admin.
notice-failed-short = Something went wrong on Baton's side. Try again, or tell an admin.
notice-failed-form = Something went wrong on Baton's side; nothing was changed. Try again.
notice-unknown-command = Baton does not know { $command }: use /lead, /funnel, /sla or /baton help
notice-working = Working on it…
notice-no-form = Baton could not open the form; type { $instead } instead.
notice-internal-error = Baton could not do that because of an internal error (it was logged). Try again in a moment.
notice-could-not = Baton could not do that.
notice-no-interaction-id = Baton cannot handle an interaction without an id.
notice-replayed = This interaction was already handled; nothing was changed.
notice-no-discord-user = Baton cannot tell who you are on Discord.
notice-unknown-interaction = Baton does not handle this kind of interaction.
