# I report (/funnel, /sla, /funnel plan), il riepilogo settimanale e i grafici, in
# italiano. I numeri arrivano già scritti nel formato della lingua ($n, $value...); $count
# è lo stesso numero, per scegliere la forma del plurale.

## Numeri

number-percent = { $value }%
number-rate = { $percent } (n={ $n })

## Nomi: fasi, scadenze, dimensioni

stage-visitor = visitatore
stage-lead = lead
stage-mql = MQL
stage-sql = SQL
stage-opportunity = opportunità
stage-customer = cliente
stage-evangelist = promotore
stage-disqualified = squalificato
stage-short-visitor = visit.
stage-short-lead = lead
stage-short-mql = MQL
stage-short-sql = SQL
stage-short-opportunity = opp.
stage-short-customer = cliente
stage-short-evangelist = prom.
report-clock-ack = conferma
report-clock-first-touch = primo contatto
report-clock-decision = decisione
dimension-source = fonte
dimension-campaign = campagna
dimension-rep = commerciale
dimension-team = team
count-handoffs =
    { $count ->
        [one] { $n } passaggio
       *[other] { $n } passaggi
    }
count-breaches =
    { $count ->
        [one] { $n } violazione
       *[other] { $n } violazioni
    }
count-mqls =
    { $count ->
        [one] { $n } MQL
       *[other] { $n } MQL
    }

## Intestazioni delle tabelle

col-stage = fase
col-entered = entrati
col-went-further = avanzati
col-clock = scadenza
col-median = mediana
col-p90 = p90
col-median-business = mediana (lavorativa)
col-p90-business = p90 (lavorativo)
col-compliance = rispetto
col-handoffs = passaggi
col-acceptance = accettazione
col-rating = voto
col-rep = commerciale
col-campaign = campagna
col-to-sql = a SQL
col-to-opportunity = a opportunità
col-to-customer = a cliente
col-ack = conferma
col-median-ack = mediana conferma
col-breaches = violazioni
col-lead = lead
col-late = ritardo
col-overdue-by = scaduto da
row-team = team
key-none = (nessuno)
rank-top = migliori:
rank-bottom = peggiori:

## /funnel

period-describe = { $name } (dal { $from } al { $to }, { $zone })
funnel-title = Funnel di { $period }
funnel-handoffs = Passaggi aperti: { $opened } (accettati: { $accepted }, rifiutati: { $rejected }, ancora aperti: { $open }).
funnel-duplicates =
    { $count ->
        [one] Duplicati: { $n } MQL in più di una persona che aveva già un passaggio aperto, unito a quello.
       *[other] Duplicati: { $n } MQL in più di persone che avevano già un passaggio aperto, uniti a quello.
    }
acceptance-met = Accettazione: { $rate }, obiettivo { $target }: raggiunto.
acceptance-below = Accettazione: { $rate }, obiettivo { $target }: sotto l'obiettivo.
acceptance-target = Accettazione: { $rate }, obiettivo { $target }.
acceptance-plain = Accettazione: { $rate }.
rejected-for = Motivi di rifiuto: { $list }.
speed-from-mql = Velocità dall'MQL:
funnel-mql-on-track = MQL { $period ->
        [week] di questa settimana
        [month] di questo mese
       *[quarter] di questo trimestre
    } ({ $elapsed } trascorso): { $entered } su { $target }, ritmo { $pace }: in linea.
funnel-mql-behind = MQL { $period ->
        [week] di questa settimana
        [month] di questo mese
       *[quarter] di questo trimestre
    } ({ $elapsed } trascorso): { $entered } su { $target }, ritmo { $pace }: in ritardo.
funnel-mql-target = MQL { $period ->
        [week] di questa settimana
        [month] di questo mese
       *[quarter] di questo trimestre
    } ({ $elapsed } trascorso): { $entered } su { $target }.
funnel-mql-none = MQL { $period ->
        [week] di questa settimana
        [month] di questo mese
       *[quarter] di questo trimestre
    } ({ $elapsed } trascorso): { $entered } (nessun obiettivo impostato).
quality-none = Qualità per { $what }: nessun passaggio.
quality-head = Qualità per { $what }:
more-json =
    { $count ->
        [one] … e { $n } altro (vedi --format json)
       *[other] … e altri { $n } (vedi --format json)
    }
more-rows =
    { $count ->
        [one] … e { $n } altro
       *[other] … e altri { $n }
    }
rank-reps = Commerciali per conversione dei loro passaggi:
rank-campaigns = Campagne per lead arrivati a ogni fase:
by-nothing = Per { $by }: niente in questo periodo.
by-head = Per { $by }:

## /sla

sla-title = SLA di { $period }
sla-title-team = , team { $team }
sla-title-rep = , solo { $rep }
sla-summary = { $handoffs }, { $breaches }.
sla-whose-clock = Una scadenza conta per chi aveva il lead quando è stata rispettata o è scaduta.
sla-team = Team { $team }: { $handoffs }, { $breaches }.
latest-breaches = Ultime violazioni:
breach-late = { $span } di ritardo
breach-overdue = scaduto da { $span }
breach-item = • lead #{ $lead } { $title }: { $clock }, { $who }, { $late }

## Il riepilogo settimanale

digest-title = Riepilogo settimanale degli SLA, { $week }
digest-week = Settimana
digest-dates = { $from } - { $to } ({ $zone })
digest-team-summary = { $team }: { $handoffs }, conferma { $ack }, { $breaches }, { $overdue } scaduti ora
digest-marketing-summary = Marketing: { $mqls }, accettazione { $rate }
digest-marketing-summary-target = Marketing: { $mqls } su { $target } { $period ->
        [week] questa settimana
        [month] questo mese
       *[quarter] questo trimestre
    }, accettazione { $rate }
digest-handoffs = Passaggi aperti: { $opened } (accettati: { $accepted }, rifiutati: { $rejected }, aperti: { $open })
digest-ack-compliance = Rispetto della conferma:
digest-first-touch-compliance = Rispetto del primo contatto:
digest-compliance = { $percent } ({ $met } su { $n } rispettate)
digest-compliance-none = – (nessuna scadenza chiusa)
digest-time-to-ack = Tempo alla conferma: mediana { $median }, p90 { $p90 } (orario lavorativo: { $median_business }, { $p90_business })
digest-team-heading = Team { $team } (responsabile { $manager })
digest-no-breaches = Nessuna violazione questa settimana.
digest-counting = { $span } e oltre
digest-breaches-heading = Team { $team }: violazioni della settimana ({ $n })
digest-nothing-overdue = Niente di scaduto.
digest-overdue-heading = Team { $team }: scaduti ora ({ $n })
digest-mql-week-end-on-track = MQL { $period ->
        [week] di questa settimana
        [month] di questo mese
       *[quarter] di questo trimestre
    } fino a fine settimana ({ $elapsed } trascorso): { $entered } su { $target }, ritmo { $pace }: in linea
digest-mql-week-end-behind = MQL { $period ->
        [week] di questa settimana
        [month] di questo mese
       *[quarter] di questo trimestre
    } fino a fine settimana ({ $elapsed } trascorso): { $entered } su { $target }, ritmo { $pace }: in ritardo
digest-mql-week-end-target = MQL { $period ->
        [week] di questa settimana
        [month] di questo mese
       *[quarter] di questo trimestre
    } fino a fine settimana ({ $elapsed } trascorso): { $entered } su { $target }
digest-mql-week-end-none = MQL { $period ->
        [week] di questa settimana
        [month] di questo mese
       *[quarter] di questo trimestre
    } fino a fine settimana ({ $elapsed } trascorso): { $entered } (nessun obiettivo impostato)
digest-mql-so-far-on-track = MQL { $period ->
        [week] di questa settimana
        [month] di questo mese
       *[quarter] di questo trimestre
    } finora ({ $elapsed } trascorso): { $entered } su { $target }, ritmo { $pace }: in linea
digest-mql-so-far-behind = MQL { $period ->
        [week] di questa settimana
        [month] di questo mese
       *[quarter] di questo trimestre
    } finora ({ $elapsed } trascorso): { $entered } su { $target }, ritmo { $pace }: in ritardo
digest-mql-so-far-target = MQL { $period ->
        [week] di questa settimana
        [month] di questo mese
       *[quarter] di questo trimestre
    } finora ({ $elapsed } trascorso): { $entered } su { $target }
digest-mql-so-far-none = MQL { $period ->
        [week] di questa settimana
        [month] di questo mese
       *[quarter] di questo trimestre
    } finora ({ $elapsed } trascorso): { $entered } (nessun obiettivo impostato)
digest-mqls-this-week = MQL di questa settimana: { $n }
digest-marketing-handoffs = Passaggi: { $opened } (accettati: { $accepted }, rifiutati: { $rejected }, aperti: { $open }); { $acceptance }
digest-acceptance-met = accettazione { $rate }, obiettivo { $target }: raggiunto
digest-acceptance-below = accettazione { $rate }, obiettivo { $target }: sotto l'obiettivo
digest-acceptance-target = accettazione { $rate }, obiettivo { $target }
digest-acceptance-plain = accettazione { $rate }
digest-nothing-rejected = Motivi di rifiuto: nessun rifiuto
digest-rejected-for = Motivi di rifiuto: { $list }
digest-marketing-heading = Marketing: MQL e accettazione
digest-no-handoffs = Nessun passaggio questa settimana.
digest-quality-heading = Qualità dei lead per { $what }
digest-rank-reps = Commerciali, per conversione dei loro passaggi:
digest-rank-campaigns = Campagne, per lead arrivati a ogni fase questa settimana:
digest-nothing-to-rank = Niente da classificare questa settimana.
digest-ranking-heading = Migliori e peggiori commerciali e campagne
digest-chart-title = Funnel, settimana { $week }
digest-chart-subtitle = Lead entrati in ogni fase, { $dates }
digest-chart-message = Grafico del funnel, settimana { $week }
digest-no-recipients = Nessun destinatario: configura i responsabili in [[team]] o [digest] to.
digest-to = ──── A: { $to } ────

## Grafici

chart-funnel-title = Funnel, { $period }
chart-funnel-subtitle = Lead entrati in ogni fase: { $period }
chart-funnel-by-title = Funnel per { $by }, { $period }
chart-funnel-by-subtitle = Passaggi, accettati e a SQL: { $period }
series-handoffs = passaggi
series-accepted = accettati
series-to-sql = a SQL
chart-no-data = Nessun dato in questo periodo
chart-went-further = ↓ { $percent } avanzati
chart-not-shown =
    { $count ->
        [one] … { $n } altro non mostrato
       *[other] … altri { $n } non mostrati
    }
chart-last-week = { $series }: { $value } nell'ultima settimana
chart-needed = necessario
chart-pace-on-track = ritmo: in linea
chart-pace-short = ritmo: insufficiente
chart-pace-none-needed = ritmo { $pace }, nessuno necessario
chart-pace-of = ritmo { $pace } su { $needed } ({ $percent })
chart-pace-little-data = ritmo { $pace }; dati insufficienti
trend-mqls = MQL
trend-acceptance = Accettazione
trend-ack-compliance = Rispetto della conferma
trend-subtitle =
    { $count ->
        [one] L'ultima settimana, { $from } - { $to }
       *[other] Le ultime { $count } settimane, { $from } - { $to }
    }

## La demo

demo-banner =
    Demo di Baton: team "sales" (Rui, Sam, Lia; responsabile Mia) su { $db }. HTTP su { $address }.
    Scrivi i comandi qui, per esempio `/lead show 1`, `/lead ack 1`, `@rui@demo.test /lead mine`, `/baton help`. Ctrl-C per uscire.

## /funnel plan: the reverse funnel

plan-customers =
    { $count ->
        [one] { $n } cliente
       *[other] { $n } clienti
    }
plan-title = Piano: { $customers } in { $period } ({ $elapsed } già trascorso)
plan-basis = Conversioni misurate su { $basis }.
plan-col-goes-further = avanza
plan-col-needed = necessari
plan-col-so-far = finora
plan-col-pace = ritmo a fine periodo
plan-col-needed-month = necessari/mese
plan-col-short-month = mancanti/mese
plan-col-mqls-needed = MQL necessari
plan-col-leads-needed = lead necessari
plan-col-customers-so-far = clienti finora
plan-too-little-data = dati insufficienti
plan-mqls-too-little = { $mqls } (dati insufficienti)
plan-on-track = in linea
plan-no-entries = nessun ingresso
plan-range = da { $low } a { $high }
plan-at-least = almeno { $low }
plan-not-enough = Dati insufficienti per { $stage }: { $count ->
        [one] { $n } ingresso
       *[other] { $n } ingressi
    } nella base (meno di { $min }), quindi nessun numero unico
plan-not-enough-interval = { $first }; un intervallo al 90% pone la sua conversione a { $next } tra { $low } e { $high }, quindi { $stage } richiede { $range }.
plan-not-enough-end = { $first }.
plan-no-conversions = Nessun ingresso in { $stage } è avanzato nella base: il piano sopra { $stage } è un intervallo, non un numero.
plan-delivered-short = Al ritmo attuale il periodo si chiude con circa { $delivered } clienti: ne mancano { $gap }.
plan-delivered-on-track = Al ritmo attuale il periodo si chiude con circa { $delivered } clienti: in linea.
plan-weakest = Passaggio più debole: { $from } → { $to } al { $conversion } (mediana degli ultimi quattro trimestri: { $median }); tornando alla mediana recupererebbe { $closes } dei clienti mancanti.
plan-weakest-none = Passaggio più debole: nessuno sotto la mediana degli ultimi quattro trimestri.
plan-by-none = Per { $by }: nessun ingresso nella base.
plan-by-title = Per { $by }, prima chi richiede meno MQL per { $customers } (ciascuno come se li portasse da solo):
plan-owes = Per conquistare { $customers } in { $period }, il marketing deve portare { $mqls } MQL{ $month }{ $pace }
plan-owes-month = : { $month } al mese
plan-pace-on-track = ; ritmo attuale { $pace } al mese: in linea.
plan-pace-short = ; ritmo attuale { $pace } al mese: ne mancano { $short } al mese.
plan-pace-none = .
plan-owes-range = Per conquistare { $customers } in { $period }, il marketing deve portare { $range } MQL (dati insufficienti per un numero unico; intervallo al 90%).
plan-owes-none = Per conquistare { $customers } in { $period }: nessun MQL nella base da cui pianificare.
plan-chart-title = Piano: { $customers } in { $period }
plan-chart-by-subtitle = MQL di cui ogni { $by } avrebbe bisogno da solo (meno prima), dalle conversioni di { $basis }
plan-chart-subtitle = Necessari (contorno) e dove arriva il ritmo (barra), { $elapsed } trascorso; conversioni di { $basis }
plan-series-needed = MQL necessari
plan-series-so-far = MQL finora
