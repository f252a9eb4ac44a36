# Los informes (/funnel, /sla, /funnel plan), el resumen semanal y los gráficos, en
# español. Los números llegan ya escritos en el formato del idioma ($n, $value...); $count
# es el mismo número, para elegir la forma del plural.

## Números

number-percent = { $value } %
number-rate = { $percent } (n={ $n })

## Nombres: etapas, plazos, dimensiones

stage-visitor = visitante
stage-lead = lead
stage-mql = MQL
stage-sql = SQL
stage-opportunity = oportunidad
stage-customer = cliente
stage-evangelist = evangelizador
stage-disqualified = descalificado
stage-short-visitor = visit.
stage-short-lead = lead
stage-short-mql = MQL
stage-short-sql = SQL
stage-short-opportunity = oport.
stage-short-customer = cliente
stage-short-evangelist = evang.
report-clock-ack = confirmación
report-clock-first-touch = primer contacto
report-clock-decision = decisión
dimension-source = origen
dimension-campaign = campaña
dimension-rep = comercial
dimension-team = equipo
count-handoffs =
    { $count ->
        [one] { $n } traspaso
       *[other] { $n } traspasos
    }
count-breaches =
    { $count ->
        [one] { $n } incumplimiento
       *[other] { $n } incumplimientos
    }
count-mqls =
    { $count ->
        [one] { $n } MQL
       *[other] { $n } MQL
    }

## Encabezados de las tablas

col-stage = etapa
col-entered = entraron
col-went-further = avanzaron
col-clock = plazo
col-median = mediana
col-p90 = p90
col-median-business = mediana (laboral)
col-p90-business = p90 (laboral)
col-compliance = cumplimiento
col-handoffs = traspasos
col-acceptance = aceptación
col-rating = valoración
col-rep = comercial
col-campaign = campaña
col-to-sql = a SQL
col-to-opportunity = a oportunidad
col-to-customer = a cliente
col-ack = confirmación
col-median-ack = mediana confirmación
col-breaches = incumplimientos
col-lead = lead
col-late = retraso
col-overdue-by = vencido hace
row-team = equipo
key-none = (ninguno)
rank-top = mejores:
rank-bottom = peores:

## /funnel

period-describe = { $name } (del { $from } al { $to }, { $zone })
funnel-title = Embudo de { $period }
funnel-handoffs = Traspasos abiertos: { $opened } (aceptados: { $accepted }, rechazados: { $rejected }, aún abiertos: { $open }).
funnel-duplicates =
    { $count ->
        [one] Duplicados: { $n } MQL más de una persona que ya tenía un traspaso abierto, unido a él.
       *[other] Duplicados: { $n } MQL más de personas que ya tenían un traspaso abierto, unidos a él.
    }
acceptance-met = Aceptación: { $rate }, objetivo { $target }: cumplido.
acceptance-below = Aceptación: { $rate }, objetivo { $target }: por debajo del objetivo.
acceptance-target = Aceptación: { $rate }, objetivo { $target }.
acceptance-plain = Aceptación: { $rate }.
rejected-for = Motivos de rechazo: { $list }.
speed-from-mql = Velocidad desde el MQL:
funnel-mql-on-track = MQL { $period ->
        [week] de esta semana
        [month] de este mes
       *[quarter] de este trimestre
    } ({ $elapsed } transcurrido): { $entered } de { $target }, ritmo { $pace }: en camino.
funnel-mql-behind = MQL { $period ->
        [week] de esta semana
        [month] de este mes
       *[quarter] de este trimestre
    } ({ $elapsed } transcurrido): { $entered } de { $target }, ritmo { $pace }: con retraso.
funnel-mql-target = MQL { $period ->
        [week] de esta semana
        [month] de este mes
       *[quarter] de este trimestre
    } ({ $elapsed } transcurrido): { $entered } de { $target }.
funnel-mql-none = MQL { $period ->
        [week] de esta semana
        [month] de este mes
       *[quarter] de este trimestre
    } ({ $elapsed } transcurrido): { $entered } (sin objetivo definido).
quality-none = Calidad por { $what }: ningún traspaso.
quality-head = Calidad por { $what }:
more-json =
    { $count ->
        [one] … y { $n } más (ver --format json)
       *[other] … y { $n } más (ver --format json)
    }
more-rows =
    { $count ->
        [one] … y { $n } más
       *[other] … y { $n } más
    }
rank-reps = Comerciales por conversión de sus traspasos:
rank-campaigns = Campañas por leads que llegaron a cada etapa:
by-nothing = Por { $by }: nada en este periodo.
by-head = Por { $by }:

## /sla

sla-title = SLA de { $period }
sla-title-team = , equipo { $team }
sla-title-rep = , solo { $rep }
sla-summary = { $handoffs }, { $breaches }.
sla-whose-clock = Un plazo cuenta para quien tenía el lead cuando se cumplió o venció.
sla-team = Equipo { $team }: { $handoffs }, { $breaches }.
latest-breaches = Últimos incumplimientos:
breach-late = { $span } de retraso
breach-overdue = vencido hace { $span }
breach-item = • lead #{ $lead } { $title }: { $clock }, { $who }, { $late }

## El resumen semanal

digest-title = Resumen semanal de SLA, { $week }
digest-week = Semana
digest-dates = { $from } al { $to } ({ $zone })
digest-team-summary = { $team }: { $handoffs }, confirmación { $ack }, { $breaches }, { $overdue } vencidos ahora
digest-marketing-summary = Marketing: { $mqls }, aceptación { $rate }
digest-marketing-summary-target = Marketing: { $mqls } de { $target } { $period ->
        [week] esta semana
        [month] este mes
       *[quarter] este trimestre
    }, aceptación { $rate }
digest-handoffs = Traspasos abiertos: { $opened } (aceptados: { $accepted }, rechazados: { $rejected }, abiertos: { $open })
digest-ack-compliance = Cumplimiento de la confirmación:
digest-first-touch-compliance = Cumplimiento del primer contacto:
digest-compliance = { $percent } ({ $met } de { $n } cumplidos)
digest-compliance-none = – (ningún plazo cerrado)
digest-time-to-ack = Tiempo hasta la confirmación: mediana { $median }, p90 { $p90 } (horario laboral: { $median_business }, { $p90_business })
digest-team-heading = Equipo { $team } (responsable { $manager })
digest-no-breaches = Ningún incumplimiento esta semana.
digest-counting = { $span } y sumando
digest-breaches-heading = Equipo { $team }: incumplimientos de esta semana ({ $n })
digest-nothing-overdue = Nada vencido.
digest-overdue-heading = Equipo { $team }: vencidos ahora ({ $n })
digest-mql-week-end-on-track = MQL { $period ->
        [week] de esta semana
        [month] de este mes
       *[quarter] de este trimestre
    } hasta el final de la semana ({ $elapsed } transcurrido): { $entered } de { $target }, ritmo { $pace }: en camino
digest-mql-week-end-behind = MQL { $period ->
        [week] de esta semana
        [month] de este mes
       *[quarter] de este trimestre
    } hasta el final de la semana ({ $elapsed } transcurrido): { $entered } de { $target }, ritmo { $pace }: con retraso
digest-mql-week-end-target = MQL { $period ->
        [week] de esta semana
        [month] de este mes
       *[quarter] de este trimestre
    } hasta el final de la semana ({ $elapsed } transcurrido): { $entered } de { $target }
digest-mql-week-end-none = MQL { $period ->
        [week] de esta semana
        [month] de este mes
       *[quarter] de este trimestre
    } hasta el final de la semana ({ $elapsed } transcurrido): { $entered } (sin objetivo definido)
digest-mql-so-far-on-track = MQL { $period ->
        [week] de esta semana
        [month] de este mes
       *[quarter] de este trimestre
    } hasta ahora ({ $elapsed } transcurrido): { $entered } de { $target }, ritmo { $pace }: en camino
digest-mql-so-far-behind = MQL { $period ->
        [week] de esta semana
        [month] de este mes
       *[quarter] de este trimestre
    } hasta ahora ({ $elapsed } transcurrido): { $entered } de { $target }, ritmo { $pace }: con retraso
digest-mql-so-far-target = MQL { $period ->
        [week] de esta semana
        [month] de este mes
       *[quarter] de este trimestre
    } hasta ahora ({ $elapsed } transcurrido): { $entered } de { $target }
digest-mql-so-far-none = MQL { $period ->
        [week] de esta semana
        [month] de este mes
       *[quarter] de este trimestre
    } hasta ahora ({ $elapsed } transcurrido): { $entered } (sin objetivo definido)
digest-mqls-this-week = MQL de esta semana: { $n }
digest-marketing-handoffs = Traspasos: { $opened } (aceptados: { $accepted }, rechazados: { $rejected }, abiertos: { $open }); { $acceptance }
digest-acceptance-met = aceptación { $rate }, objetivo { $target }: cumplido
digest-acceptance-below = aceptación { $rate }, objetivo { $target }: por debajo del objetivo
digest-acceptance-target = aceptación { $rate }, objetivo { $target }
digest-acceptance-plain = aceptación { $rate }
digest-nothing-rejected = Motivos de rechazo: ningún rechazo
digest-rejected-for = Motivos de rechazo: { $list }
digest-marketing-heading = Marketing: MQL y aceptación
digest-no-handoffs = Ningún traspaso esta semana.
digest-quality-heading = Calidad de los leads por { $what }
digest-rank-reps = Comerciales, por conversión de sus traspasos:
digest-rank-campaigns = Campañas, por leads que llegaron a cada etapa esta semana:
digest-nothing-to-rank = Nada que clasificar esta semana.
digest-ranking-heading = Mejores y peores comerciales y campañas
digest-chart-title = Embudo, semana { $week }
digest-chart-subtitle = Leads que entraron en cada etapa, { $dates }
digest-chart-message = Gráfico del embudo, semana { $week }
digest-no-recipients = Sin destinatarios: configura responsables en [[team]] o [digest] to.
digest-to = ──── Para: { $to } ────

## Gráficos

chart-funnel-title = Embudo, { $period }
chart-funnel-subtitle = Leads que entraron en cada etapa: { $period }
chart-funnel-by-title = Embudo por { $by }, { $period }
chart-funnel-by-subtitle = Traspasos, aceptados y a SQL: { $period }
series-handoffs = traspasos
series-accepted = aceptados
series-to-sql = a SQL
chart-no-data = Sin datos en este periodo
chart-went-further = ↓ { $percent } avanzaron
chart-not-shown =
    { $count ->
        [one] … { $n } más sin mostrar
       *[other] … { $n } más sin mostrar
    }
chart-last-week = { $series }: { $value } en la última semana
chart-needed = necesario
chart-pace-on-track = ritmo: en camino
chart-pace-short = ritmo: insuficiente
chart-pace-none-needed = ritmo { $pace }, no hace falta ninguno
chart-pace-of = ritmo { $pace } de { $needed } ({ $percent })
chart-pace-little-data = ritmo { $pace }; pocos datos
trend-mqls = MQL
trend-acceptance = Aceptación
trend-ack-compliance = Cumplimiento de la confirmación
trend-subtitle =
    { $count ->
        [one] La última semana, { $from } a { $to }
       *[other] Las últimas { $count } semanas, { $from } a { $to }
    }

## La demostración

demo-banner =
    Demo de Baton: equipo "sales" (Rui, Sam, Lia; responsable Mia) en { $db }. HTTP en { $address }.
    Escribe comandos aquí, por ejemplo `/lead show 1`, `/lead ack 1`, `@rui@demo.test /lead mine`, `/baton help`. Ctrl-C para salir.

## /funnel plan: the reverse funnel

plan-customers =
    { $count ->
        [one] { $n } cliente
       *[other] { $n } clientes
    }
plan-title = Plan: { $customers } en { $period } ({ $elapsed } transcurrido)
plan-basis = Conversiones medidas en { $basis }.
plan-col-goes-further = avanza
plan-col-needed = necesario
plan-col-so-far = hasta ahora
plan-col-pace = ritmo al final
plan-col-needed-month = necesario/mes
plan-col-short-month = falta/mes
plan-col-mqls-needed = MQLs necesarios
plan-col-leads-needed = leads necesarios
plan-col-customers-so-far = clientes hasta ahora
plan-too-little-data = pocos datos
plan-mqls-too-little = { $mqls } (pocos datos)
plan-on-track = en ritmo
plan-no-entries = sin entradas
plan-range = de { $low } a { $high }
plan-at-least = al menos { $low }
plan-not-enough = Datos insuficientes para { $stage }: { $count ->
        [one] { $n } entrada
       *[other] { $n } entradas
    } en la base (menos de { $min }), así que no hay una cifra única
plan-not-enough-interval = { $first }; un intervalo del 90 % sitúa su conversión a { $next } entre { $low } y { $high }, así que { $stage } necesita { $range }.
plan-not-enough-end = { $first }.
plan-no-conversions = Ninguna entrada en { $stage } avanzó en la base: el plan por encima de { $stage } es un rango, no una cifra.
plan-delivered-short = Al ritmo actual, el periodo termina con unos { $delivered } clientes: faltan { $gap }.
plan-delivered-on-track = Al ritmo actual, el periodo termina con unos { $delivered } clientes: en ritmo.
plan-weakest = Paso más débil: { $from } → { $to } con { $conversion } (su mediana de los últimos cuatro trimestres: { $median }); de vuelta a su mediana recuperaría { $closes } de los clientes que faltan.
plan-weakest-none = Paso más débil: ninguno por debajo de su mediana de los últimos cuatro trimestres.
plan-by-none = Por { $by }: sin entradas en la base.
plan-by-title = Por { $by }, primero quien necesita menos MQLs para { $customers } (cada uno como si los aportara solo):
plan-owes = Para ganar { $customers } en { $period }, marketing debe aportar { $mqls } MQLs{ $month }{ $pace }
plan-owes-month = : { $month } al mes
plan-pace-on-track = ; ritmo actual de { $pace } al mes: en ritmo.
plan-pace-short = ; ritmo actual de { $pace } al mes: faltan { $short } al mes.
plan-pace-none = .
plan-owes-range = Para ganar { $customers } en { $period }, marketing debe aportar { $range } MQLs (pocos datos para una cifra única; intervalo del 90 %).
plan-owes-none = Para ganar { $customers } en { $period }: no hay MQLs en la base para planificar.
plan-chart-title = Plan: { $customers } en { $period }
plan-chart-by-subtitle = MQLs que cada { $by } necesitaría por sí solo (menos primero), con las conversiones de { $basis }
plan-chart-subtitle = Necesario (contorno) y dónde termina el ritmo (barra), { $elapsed } transcurrido; conversiones de { $basis }
plan-series-needed = MQLs necesarios
plan-series-so-far = MQLs hasta ahora
