# Relatórios (/funnel, /sla, /funnel plan), o resumo semanal e os gráficos, em português
# do Brasil. Os números chegam já escritos no formato do idioma ($n, $value...); $count é
# o mesmo número, para escolher a forma do plural.

## Números

number-percent = { $value }%
number-rate = { $percent } (n={ $n })

## Nomes: etapas, prazos, dimensões

stage-visitor = visitante
stage-lead = lead
stage-mql = MQL
stage-sql = SQL
stage-opportunity = oportunidade
stage-customer = cliente
stage-evangelist = evangelista
stage-disqualified = desqualificado
stage-short-visitor = visit.
stage-short-lead = lead
stage-short-mql = MQL
stage-short-sql = SQL
stage-short-opportunity = oport.
stage-short-customer = cliente
stage-short-evangelist = evang.
report-clock-ack = confirmação
report-clock-first-touch = primeiro contato
report-clock-decision = decisão
dimension-source = origem
dimension-campaign = campanha
dimension-rep = vendedor
dimension-team = equipe
count-handoffs =
    { $count ->
        [one] { $n } repasse
       *[other] { $n } repasses
    }
count-breaches =
    { $count ->
        [one] { $n } estouro
       *[other] { $n } estouros
    }
count-mqls =
    { $count ->
        [one] { $n } MQL
       *[other] { $n } MQLs
    }

## Cabeçalhos das tabelas

col-stage = etapa
col-entered = entraram
col-went-further = avançaram
col-clock = prazo
col-median = mediana
col-p90 = p90
col-median-business = mediana (útil)
col-p90-business = p90 (útil)
col-compliance = cumprimento
col-handoffs = repasses
col-acceptance = aceitação
col-rating = nota
col-rep = vendedor
col-campaign = campanha
col-to-sql = para SQL
col-to-opportunity = para oportunidade
col-to-customer = para cliente
col-ack = confirmação
col-median-ack = mediana confirmação
col-breaches = estouros
col-lead = lead
col-late = atraso
col-overdue-by = vencido há
row-team = equipe
key-none = (nenhum)
rank-top = melhores:
rank-bottom = piores:

## /funnel

period-describe = { $name } (de { $from } a { $to }, { $zone })
funnel-title = Funil de { $period }
funnel-handoffs = Repasses abertos: { $opened } (aceitos: { $accepted }, recusados: { $rejected }, ainda abertos: { $open }).
funnel-duplicates =
    { $count ->
        [one] Duplicados: mais { $n } MQL de uma pessoa que já tinha um repasse aberto, anexado a ele.
       *[other] Duplicados: mais { $n } MQLs de pessoas que já tinham um repasse aberto, anexados a ele.
    }
acceptance-met = Aceitação: { $rate }, meta { $target }: atingida.
acceptance-below = Aceitação: { $rate }, meta { $target }: abaixo da meta.
acceptance-target = Aceitação: { $rate }, meta { $target }.
acceptance-plain = Aceitação: { $rate }.
rejected-for = Motivos de recusa: { $list }.
speed-from-mql = Velocidade a partir do MQL:
funnel-mql-on-track = MQLs { $period ->
        [week] nesta semana
        [month] neste mês
       *[quarter] neste trimestre
    } ({ $elapsed } já decorrido): { $entered } de { $target }, ritmo { $pace }: no caminho certo.
funnel-mql-behind = MQLs { $period ->
        [week] nesta semana
        [month] neste mês
       *[quarter] neste trimestre
    } ({ $elapsed } já decorrido): { $entered } de { $target }, ritmo { $pace }: atrasado.
funnel-mql-target = MQLs { $period ->
        [week] nesta semana
        [month] neste mês
       *[quarter] neste trimestre
    } ({ $elapsed } já decorrido): { $entered } de { $target }.
funnel-mql-none = MQLs { $period ->
        [week] nesta semana
        [month] neste mês
       *[quarter] neste trimestre
    } ({ $elapsed } já decorrido): { $entered } (sem meta definida).
quality-none = Qualidade por { $what }: nenhum repasse.
quality-head = Qualidade por { $what }:
more-json =
    { $count ->
        [one] … e mais { $n } (veja --format json)
       *[other] … e mais { $n } (veja --format json)
    }
more-rows =
    { $count ->
        [one] … e mais { $n }
       *[other] … e mais { $n }
    }
rank-reps = Vendedores por conversão dos seus repasses:
rank-campaigns = Campanhas por leads que chegaram a cada etapa:
by-nothing = Por { $by }: nada neste período.
by-head = Por { $by }:

## /sla

sla-title = SLA de { $period }
sla-title-team = , equipe { $team }
sla-title-rep = , só { $rep }
sla-summary = { $handoffs }, { $breaches }.
sla-whose-clock = Um prazo conta para quem estava com o lead quando ele foi cumprido ou estourou.
sla-team = Equipe { $team }: { $handoffs }, { $breaches }.
latest-breaches = Últimos estouros:
breach-late = { $span } de atraso
breach-overdue = vencido há { $span }
breach-item = • lead #{ $lead } { $title }: { $clock }, { $who }, { $late }

## O resumo semanal

digest-title = Resumo semanal de SLA, { $week }
digest-week = Semana
digest-dates = { $from } a { $to } ({ $zone })
digest-team-summary = { $team }: { $handoffs }, confirmação { $ack }, { $breaches }, { $overdue } vencidos agora
digest-marketing-summary = Marketing: { $mqls }, aceitação { $rate }
digest-marketing-summary-target = Marketing: { $mqls } de { $target } { $period ->
        [week] nesta semana
        [month] neste mês
       *[quarter] neste trimestre
    }, aceitação { $rate }
digest-handoffs = Repasses abertos: { $opened } (aceitos: { $accepted }, recusados: { $rejected }, abertos: { $open })
digest-ack-compliance = Cumprimento da confirmação:
digest-first-touch-compliance = Cumprimento do primeiro contato:
digest-compliance = { $percent } ({ $met } de { $n } cumpridos)
digest-compliance-none = – (nenhum prazo encerrado)
digest-time-to-ack = Tempo até a confirmação: mediana { $median }, p90 { $p90 } (horário útil: { $median_business }, { $p90_business })
digest-team-heading = Equipe { $team } (gestor { $manager })
digest-no-breaches = Nenhum estouro nesta semana.
digest-counting = { $span } e contando
digest-breaches-heading = Equipe { $team }: estouros nesta semana ({ $n })
digest-nothing-overdue = Nada vencido.
digest-overdue-heading = Equipe { $team }: vencidos agora ({ $n })
digest-mql-week-end-on-track = MQLs { $period ->
        [week] nesta semana
        [month] neste mês
       *[quarter] neste trimestre
    } até o fim da semana ({ $elapsed } já decorrido): { $entered } de { $target }, ritmo { $pace }: no caminho certo
digest-mql-week-end-behind = MQLs { $period ->
        [week] nesta semana
        [month] neste mês
       *[quarter] neste trimestre
    } até o fim da semana ({ $elapsed } já decorrido): { $entered } de { $target }, ritmo { $pace }: atrasado
digest-mql-week-end-target = MQLs { $period ->
        [week] nesta semana
        [month] neste mês
       *[quarter] neste trimestre
    } até o fim da semana ({ $elapsed } já decorrido): { $entered } de { $target }
digest-mql-week-end-none = MQLs { $period ->
        [week] nesta semana
        [month] neste mês
       *[quarter] neste trimestre
    } até o fim da semana ({ $elapsed } já decorrido): { $entered } (sem meta definida)
digest-mql-so-far-on-track = MQLs { $period ->
        [week] nesta semana
        [month] neste mês
       *[quarter] neste trimestre
    } até agora ({ $elapsed } já decorrido): { $entered } de { $target }, ritmo { $pace }: no caminho certo
digest-mql-so-far-behind = MQLs { $period ->
        [week] nesta semana
        [month] neste mês
       *[quarter] neste trimestre
    } até agora ({ $elapsed } já decorrido): { $entered } de { $target }, ritmo { $pace }: atrasado
digest-mql-so-far-target = MQLs { $period ->
        [week] nesta semana
        [month] neste mês
       *[quarter] neste trimestre
    } até agora ({ $elapsed } já decorrido): { $entered } de { $target }
digest-mql-so-far-none = MQLs { $period ->
        [week] nesta semana
        [month] neste mês
       *[quarter] neste trimestre
    } até agora ({ $elapsed } já decorrido): { $entered } (sem meta definida)
digest-mqls-this-week = MQLs nesta semana: { $n }
digest-marketing-handoffs = Repasses: { $opened } (aceitos: { $accepted }, recusados: { $rejected }, abertos: { $open }); { $acceptance }
digest-acceptance-met = aceitação { $rate }, meta { $target }: atingida
digest-acceptance-below = aceitação { $rate }, meta { $target }: abaixo da meta
digest-acceptance-target = aceitação { $rate }, meta { $target }
digest-acceptance-plain = aceitação { $rate }
digest-nothing-rejected = Motivos de recusa: nenhuma recusa
digest-rejected-for = Motivos de recusa: { $list }
digest-marketing-heading = Marketing: MQLs e aceitação
digest-no-handoffs = Nenhum repasse nesta semana.
digest-quality-heading = Qualidade dos leads por { $what }
digest-rank-reps = Vendedores, por conversão dos seus repasses:
digest-rank-campaigns = Campanhas, por leads que chegaram a cada etapa nesta semana:
digest-nothing-to-rank = Nada para classificar nesta semana.
digest-ranking-heading = Melhores e piores vendedores e campanhas
digest-chart-title = Funil, semana { $week }
digest-chart-subtitle = Leads que entraram em cada etapa, { $dates }
digest-chart-message = Gráfico do funil, semana { $week }
digest-no-recipients = Sem destinatários: configure gestores em [[team]] ou [digest] to.
digest-to = ──── Para: { $to } ────

## Gráficos

chart-funnel-title = Funil, { $period }
chart-funnel-subtitle = Leads que entraram em cada etapa: { $period }
chart-funnel-by-title = Funil por { $by }, { $period }
chart-funnel-by-subtitle = Repasses, aceitos e para SQL: { $period }
series-handoffs = repasses
series-accepted = aceitos
series-to-sql = para SQL
chart-no-data = Sem dados neste período
chart-went-further = ↓ { $percent } avançaram
chart-not-shown =
    { $count ->
        [one] … mais { $n } não exibido
       *[other] … mais { $n } não exibidos
    }
chart-last-week = { $series }: { $value } na última semana
chart-needed = necessário
chart-pace-on-track = ritmo: no caminho certo
chart-pace-short = ritmo: insuficiente
chart-pace-none-needed = ritmo { $pace }, nenhum necessário
chart-pace-of = ritmo { $pace } de { $needed } ({ $percent })
chart-pace-little-data = ritmo { $pace }; poucos dados
trend-mqls = MQLs
trend-acceptance = Aceitação
trend-ack-compliance = Cumprimento da confirmação
trend-subtitle =
    { $count ->
        [one] A última semana, { $from } a { $to }
       *[other] As últimas { $count } semanas, { $from } a { $to }
    }

## A demonstração

demo-banner =
    Demonstração do Baton: equipe "sales" (Rui, Sam, Lia; gestora Mia) em { $db }. HTTP em { $address }.
    Digite comandos aqui, por exemplo `/lead show 1`, `/lead ack 1`, `@rui@demo.test /lead mine`, `/baton help`. Ctrl-C encerra.

## /funnel plan: the reverse funnel

plan-customers =
    { $count ->
        [one] { $n } cliente
       *[other] { $n } clientes
    }
plan-title = Plano: { $customers } em { $period } ({ $elapsed } já decorrido)
plan-basis = Conversões medidas em { $basis }.
plan-col-goes-further = avança
plan-col-needed = necessário
plan-col-so-far = até agora
plan-col-pace = ritmo até o fim
plan-col-needed-month = necessário/mês
plan-col-short-month = falta/mês
plan-col-mqls-needed = MQLs necessários
plan-col-leads-needed = leads necessários
plan-col-customers-so-far = clientes até agora
plan-too-little-data = poucos dados
plan-mqls-too-little = { $mqls } (poucos dados)
plan-on-track = no ritmo
plan-no-entries = sem entradas
plan-range = de { $low } a { $high }
plan-at-least = pelo menos { $low }
plan-not-enough = Dados insuficientes para { $stage }: { $count ->
        [one] { $n } entrada
       *[other] { $n } entradas
    } na base (menos de { $min }), então não há um número único
plan-not-enough-interval = { $first }; um intervalo de 90% põe a conversão para { $next } entre { $low } e { $high }, então { $stage } precisa de { $range }.
plan-not-enough-end = { $first }.
plan-no-conversions = Nenhuma entrada em { $stage } avançou na base: o plano acima de { $stage } é um intervalo, não um número.
plan-delivered-short = No ritmo atual, o período termina com cerca de { $delivered } clientes: faltam { $gap }.
plan-delivered-on-track = No ritmo atual, o período termina com cerca de { $delivered } clientes: no ritmo.
plan-weakest = Etapa mais fraca: { $from } → { $to } com { $conversion } (mediana dos últimos quatro trimestres: { $median }); de volta à mediana, ela recuperaria { $closes } dos clientes que faltam.
plan-weakest-none = Etapa mais fraca: nenhuma abaixo da mediana dos últimos quatro trimestres.
plan-by-none = Por { $by }: nenhuma entrada na base.
plan-by-title = Por { $by }, quem precisa de menos MQLs para { $customers } primeiro (cada um como se os trouxesse sozinho):
plan-owes = Para ganhar { $customers } em { $period }, o marketing precisa entregar { $mqls } MQLs{ $month }{ $pace }
plan-owes-month = : { $month } por mês
plan-pace-on-track = ; ritmo atual de { $pace } por mês: no ritmo.
plan-pace-short = ; ritmo atual de { $pace } por mês: faltam { $short } por mês.
plan-pace-none = .
plan-owes-range = Para ganhar { $customers } em { $period }, o marketing precisa entregar { $range } MQLs (poucos dados para um número único; intervalo de 90%).
plan-owes-none = Para ganhar { $customers } em { $period }: não há MQLs na base para planejar.
plan-chart-title = Plano: { $customers } em { $period }
plan-chart-by-subtitle = MQLs de que cada { $by } precisaria sozinho (menos primeiro), com as conversões de { $basis }
plan-chart-subtitle = Necessário (contorno) e onde o ritmo termina (barra), { $elapsed } decorrido; conversões de { $basis }
plan-series-needed = MQLs necessários
plan-series-so-far = MQLs até agora
