# Mensagens do Baton em português do Brasil. Os comandos (/lead ack), nomes de opções e
# códigos de motivo continuam em inglês.

## Botões e elementos da plataforma

action-ack = Confirmar
action-contacted = Contatado
action-accept = Aceitar
action-reject = Recusar
action-rate = Avaliar
rate-placeholder = Avalie de 1 a 5
footer-lead = Lead #{ $lead } · Baton
console-type = digite
console-chart = Gráfico

## O alerta

alert-title = Novo MQL: { $lead }
field-lead = Lead
field-title = Cargo
field-email = E-mail
field-source = Origem
field-score = Pontuação
field-why = Por que é MQL
field-owner = Responsável
field-assigned = Atribuído a
field-handoff = Repasse
no-source = (sem origem)
nobody = ninguém
alert-sla = SLA: { $deadlines }
deadline-ack = confirmar até { $due } ({ $relative })
deadline-first-touch = primeiro contato até { $due } ({ $relative })
deadline-disposition = aceitar ou recusar até { $due } ({ $relative })

## Lembretes: o prazo, o tempo que falta e o passo que o cumpre

reminder-title-ack = Lembrete: { $left } para confirmar o lead #{ $lead } { $title }
reminder-title-first-touch = Lembrete: { $left } para o primeiro contato com o lead #{ $lead } { $title }
reminder-title-disposition = Lembrete: { $left } para aceitar ou recusar o lead #{ $lead } { $title }
reminder-text-ack = Prazo de confirmação: { $due } ({ $relative }). Para cumprir, clique em Confirmar ou digite /lead ack { $lead }.
reminder-text-first-touch = Prazo do primeiro contato: { $due } ({ $relative }). Para cumprir, clique em Contatado assim que falar com o lead, ou digite /lead contacted { $lead } [nota].
reminder-text-disposition = Prazo de decisão: { $due } ({ $relative }). Para cumprir, clique em Aceitar ou Recusar, ou digite /lead accept { $lead } ou /lead reject { $lead } MOTIVO.

## Escalonamentos: um prazo venceu

breach-ack = SLA estourado: confirmação do lead #{ $lead } { $title }, prazo { $due } ({ $late } de atraso), atribuído a { $assignee }
breach-first-touch = SLA estourado: primeiro contato com o lead #{ $lead } { $title }, prazo { $due } ({ $late } de atraso), atribuído a { $assignee }
breach-disposition = SLA estourado: decisão sobre o lead #{ $lead } { $title }, prazo { $due } ({ $late } de atraso), atribuído a { $assignee }
missed-reminders = Lembretes que venceram enquanto o Baton estava parado ({ $count })
missed-breaches = SLAs estourados enquanto o Baton estava parado ({ $count })

## Atualizações do alerta, no próprio alerta

update-title = Lead #{ $lead }: { $what }
update-acked = confirmado por { $by }
update-contacted = contatado por { $by }
update-accepted = aceito por { $by }
update-rejected = recusado por { $by } ({ $reason })
update-rated = avaliado com { $stars }/5 por { $by }
update-reassigned = reatribuído a { $to }: { $why }
update-duplicate = também chegou via { $via } às { $when } (lead { $record }); uma pessoa, um só handoff
update-accepted-outside = aceito por uma mudança de etapa para { $stage } fora do Baton
update-rejected-outside = recusado por uma mudança de etapa para { $stage } fora do Baton

## Tempos e contagens

span-seconds = { $s } s
span-minutes = { $m } min
span-hours =
    { $m ->
        [0]
            { $h ->
                [one] { $h } hora
               *[other] { $h } horas
            }
       *[other] { $h } h { $m } min
    }
span-days =
    { $h ->
        [0]
            { $d ->
                [one] { $d } dia
               *[other] { $d } dias
            }
       *[other] { $d } d { $h } h
    }
relative-future = em { $span }
relative-past = há { $span }
count-leads =
    { $count ->
        [one] { $count } lead
       *[other] { $count } leads
    }

## Boas-vindas de volta e o resumo da manhã

alert-welcome-back = Bem-vindo(a) de volta, { $name }: este é o seu primeiro lead desde o seu retorno.
summary-title = Bom dia, { $name }
summary-welcome-back = Bem-vindo(a) de volta, { $name }! Você volta a receber leads no ritmo justo do rodízio.
summary-nothing-open = Nada está em aberto para você agora.

## Erros de uso: o que estava errado no comando digitado (a linha de uso continua como é)

usage-label = uso
usage-empty = o comando está vazio: tente /lead, /funnel, /sla ou /baton help
usage-unknown-command = comando desconhecido { $command }: tente /lead, /funnel, /sla ou /baton help
usage-lead-what = o que o /lead deve fazer? use ack, contacted, accept, reject, rate, show, why, mine, reassign, snooze ou handback
usage-unknown-lead-command = comando /lead desconhecido { $sub }: use ack, contacted, accept, reject, rate, show, why, mine, reassign, snooze ou handback
usage-unknown-baton-command = comando /baton desconhecido { $sub }: use help, link, confirm, links, away, back ou who
usage-reason-needed = falta o motivo: um de { $reasons }
usage-unknown-reason = motivo desconhecido { $reason }: use um de { $reasons }
usage-unknown-dimension = dimensão desconhecida { $word }: use source, campaign, rep ou team
usage-reassign-who = quem deve ficar com o lead? informe o e-mail, como ana@example.com
usage-by-needs-dimension = "by" precisa de uma dimensão: source, campaign, rep ou team
usage-funnel-split-once = o funil só pode ser dividido de um jeito: use "by" uma vez
usage-not-period-but-dimension = { $word } não é um período: para dividir o funil, escreva "by { $dimension }"
usage-one-period = só é permitido um período, mas { $word } é um segundo
usage-customers-range = não dá para planejar { $value } clientes: informe um número inteiro de 1 a 1000000
usage-plan-how-many = quantos clientes? ex.: /funnel plan 12 customers
usage-plan-not-a-number = { $word } não é um número de clientes: escreva como /funnel plan 12 customers
usage-plan-customers = um plano é para clientes: escreva "{ $count } customers"
usage-plan-customers-not = um plano é para clientes: escreva "{ $count } customers", não { $word }
usage-basis-needs-period = "basis" precisa de um período, ex.: basis 180d
usage-basis-once = use "basis" uma vez só
usage-plan-by-not = um plano se divide por source ou campaign, não por { $dimension }
usage-plan-by-needs = "by" precisa de source ou campaign
usage-plan-split-once = o plano só pode ser dividido de um jeito: use "by" uma vez
usage-plan-one-period = só é permitido um período, mas { $word } é um segundo (o período das conversões se escreve "basis { $basis }")
usage-link-email = falta o e-mail: o que você usa no Baton, como ana@example.com
usage-confirm-whose = vincular quem? informe o usuário do Discord, como @ann ou 2002
usage-away-how-long = por quanto tempo? informe today, um número de dias como 3d, ou datas como 2026-12-20..2027-01-03
usage-not-one-lead = { $word } não é um lead: informe um número de lead, como 12, ou um ID externo
usage-not-discord-user = { $word } não é um usuário do Discord: mencione a pessoa (@ann) ou informe o ID de usuário
usage-lead-needed = falta o lead: o número, como 12, ou o ID externo, como crm-778
usage-not-a-lead = { $word } não é um lead: o número do lead é um inteiro a partir de 1
usage-how-long = por quanto tempo? informe uma duração como 30m, 2h ou 1h30m
usage-too-short = { $word } é curto demais: adie por pelo menos um segundo, ex.: 30m
usage-not-a-duration = { $word } não é uma duração: escreva um número e uma unidade (s, m, h, d), ex.: 30m, 2h ou 1h30m
usage-rating-needed = falta a nota: um número inteiro de 1 a 5
usage-not-a-rating = { $word } não é uma nota: use um número inteiro de 1 a 5
usage-not-an-email = { $word } não é um endereço de e-mail: use um como ana@example.com
usage-too-many = palavras demais: { $word } não era esperado aqui
period-not-a-period = "{ $word }" não é um período: use 7d, 30d, 90d, this-week, last-week, this-month, last-month, this-quarter, last-quarter ou 2026-01-01..2026-03-31
period-days-out-of-range = "{ $word }" não é um período: o número de dias vai de 1 a 3660
period-bad-date = "{ $word }" não é uma data: escreva as datas como AAAA-MM-DD, por exemplo 2026-01-31
period-end-before-start = o período { $from }..{ $to } termina antes de começar

## /baton help (os comandos e os marcadores continuam em inglês)

help =
    Comandos do Baton (as respostas são privadas: só você as vê):
    /lead ack LEAD - você assumiu o lead (para o prazo de primeira resposta)
    /lead contacted LEAD [note] - você falou com o lead
    /lead accept LEAD [note] - o lead é uma oportunidade real
    /lead reject LEAD REASON [note] - o lead não é para vendas; REASON é um de not_a_fit, no_budget, no_authority, no_need, bad_timing, bad_contact, duplicate, competitor, spam, other
    /lead rate LEAD 1-5 [note] - avalie a qualidade do lead
    /lead show LEAD - o lead e o histórico dele
    /lead why LEAD - por que o lead foi para quem está com ele: cada candidato e por que foi descartado (o responsável, o gestor dele e os admins)
    /lead mine - seus leads em aberto
    /lead reassign LEAD EMAIL - passe o lead para outra pessoa
    /lead snooze LEAD DURATION - adia o próximo lembrete, ex.: /lead snooze 12 30m (uma vez por prazo, sem passar do prazo; seu gestor é avisado)
    /lead handback LEAD [reason] - devolva seu lead ao rodízio, uma vez, antes de estourar o SLA
    /funnel [PERIOD] [by source|campaign|rep|team] [chart] [share] - o funil de leads; com share, é publicado no canal para todos
    /funnel plan N customers [PERIOD] [basis PERIOD] [by source|campaign] [chart] - o que cada etapa precisa entregar para N clientes (padrão: this-quarter, com as conversões dos últimos 90d)
    /sla [PERIOD] [TEAM] - tempos de resposta em relação ao SLA; um prazo conta para quem estava com o lead quando foi cumprido ou venceu, e todo prazo vencido é um SLA estourado
    /baton link EMAIL - vincule sua conta do Discord ao seu usuário do Baton
    /baton confirm USER - confirme o vínculo de alguém com o Discord (o gestor, para vendedores; senão, um admin)
    /baton links - os vínculos com o Discord e o histórico (gestores e admins)
    /baton away [EMAIL] today|3d|2026-12-20..2027-01-03 [note] - ausente: nenhum lead novo até lá (você mesmo; um gestor para os vendedores da equipe)
    /baton back [EMAIL] - disponível de novo a partir de agora
    /baton who [TEAM] - quem está disponível, ausente ou fora do expediente, com os leads em aberto
    /baton help - esta ajuda
    LEAD é um número como 12 ou um ID externo como crm-778. PERIOD é 7d, 30d (o padrão), 90d, this-week, last-week, this-month, last-month, this-quarter, last-quarter ou 2026-01-01..2026-03-31.

## Recusas: quem pode fazer o quê

refuse-not-yours = só o responsável ({ $assignee }), o gestor dele ou um admin pode fazer isso
refuse-availability-not-your-rep = { $person } não é vendedor de uma equipe que você gerencia: um gestor só define a disponibilidade dos vendedores da própria equipe
refuse-availability-own-only = você só pode definir a sua própria disponibilidade, não a de { $person }: o gestor dessa pessoa ou um admin pode
refuse-reassign = só o gestor da equipe ou um admin pode reatribuir um lead
refuse-handback-decided =
    o lead #{ $lead } já foi { $status ->
        [accepted] aceito
        [rejected] recusado
       *[other] { $status }
    }: não há o que devolver
    uso: /lead handback LEAD [reason]
refuse-handback-not-yours =
    o lead #{ $lead } não é seu (está com { $assignee }): só o responsável pode devolvê-lo; um gestor o move com /lead reassign
    uso: /lead handback LEAD [reason]
refuse-handback-twice =
    você já devolveu o lead #{ $lead } em { $at }: um lead só pode ser devolvido uma vez; peça ao seu gestor para reatribuí-lo (/lead reassign)
    uso: /lead handback LEAD [reason]
refuse-handback-breached =
    o SLA de { $clock ->
        [ack] confirmação
        [first_touch] primeiro contato
        [disposition] decisão
       *[other] { $clock }
    } do lead #{ $lead } já estourou enquanto estava com você: um lead só pode ser devolvido antes de estourar o SLA; peça ao seu gestor para reatribuí-lo (/lead reassign)
    uso: /lead handback LEAD [reason]
refuse-confirm-role = { $person } é { $role ->
        [admin] admin
        [manager] gestor
        [marketer] de marketing
       *[other] { $role }
    }: só um admin pode confirmar o vínculo de um gestor, de alguém de marketing ou de um admin
refuse-confirm-manager = só o gestor da equipe de { $person } ({ $manager }) ou um admin pode confirmar este vínculo
refuse-confirm-no-manager = só o gestor da equipe de { $person } ou um admin pode confirmar este vínculo
refuse-links = só gestores e admins podem ver os vínculos com o Discord
refuse-unknown-person = { $who } não é usuário do Baton: peça a um admin para incluir você como [[person]] na configuração (ou vincule sua conta com /baton link EMAIL)

## Respostas aos comandos

the-crm = o CRM
unknown-time = um horário desconhecido
reply-who-when = { $by } em { $at }
reply-link-elsewhere = /baton link é para o Discord, que não encontra pessoas pelo e-mail: use lá. No Slack o Baton encontra você pelo e-mail, e no console você age como alguém com @email
reply-no-such-lead = não existe o lead { $lead }: use o número que aparece no alerta (ex.: /lead show 12) ou o ID externo do lead
reply-no-handoff = o lead #{ $lead } não tem repasse: ele nunca foi MQL
reply-already-acked = o lead #{ $lead } já foi confirmado por { $who }
reply-acked = Lead #{ $lead } confirmado: { $name }.
reply-already-contacted = o contato com o lead #{ $lead } já foi registrado em { $at }
reply-contacted = Primeiro contato com o lead #{ $lead } registrado.
reply-already-decided = o lead #{ $lead } já foi { $status ->
        [accepted] aceito
        [rejected] recusado
       *[other] { $status }
    } por { $who }
reply-decided = Lead #{ $lead } { $status ->
        [accepted] aceito
        [rejected] recusado
       *[other] { $status }
    }; a etapa agora é { $stage }.
reply-already-rated = o lead #{ $lead } já tem nota { $stars }
reply-rated = Lead #{ $lead } avaliado com { $stars }/5. Obrigado: o marketing vê isso no /funnel.
reply-why-no-handoff = o lead #{ $lead } não tem repasse: ele nunca foi MQL, então ninguém foi escolhido
reply-why-not-allowed = só o responsável ({ $assignee }), o gestor dele ou um admin pode ver por que o lead #{ $lead } foi para essa pessoa
reply-why-no-decision = o repasse #{ $handoff } do lead #{ $lead } não tem decisão de distribuição registrada
reply-why-title = Por que o lead #{ $lead } ({ $name }) foi para { $assignee } (repasse #{ $handoff }, distribuído { $when }):
reply-why-reassigned-since = Depois disso o lead foi reatribuído a { $assignee } (veja /lead show { $lead }).
reply-reassign-unknown =
    { $to } não é usuário do Baton: reatribua a alguém listado como [[person]]
    uso: /lead reassign LEAD EMAIL
reply-no-open-handoff = o lead #{ $lead } não tem repasse em aberto para reatribuir
reply-already-assigned = o lead #{ $lead } já está com { $to }
reply-reassigned = O lead #{ $lead } agora está com { $to }; os prazos de SLA continuam contando a partir do horário do MQL.
reply-handback-nobody = ninguém mais pode ficar com o lead #{ $lead } agora ({ $reason }): ele continua com você; peça ao seu gestor para reatribuí-lo (/lead reassign)
reply-handed-back = O lead #{ $lead } voltou ao rodízio e agora está com { $name }. Nenhum SLA estourado fica registrado para você.

## /lead mine

mine-none = Você não tem repasses em aberto.
mine-title = { $count ->
        [one] Seu repasse em aberto (1):
       *[other] Seus repasses em aberto ({ $count }):
    }
mine-line = #{ $lead } { $name }: aberto há { $age }, { $acked ->
        [yes] confirmado
       *[no] não confirmado
    }
mine-own-window = seu próprio prazo desde { $since } (reatribuído a você)

## Os prazos de um repasse (/lead show, /lead mine)

clock-ack = confirmação
clock-first-touch = primeiro contato
clock-disposition = decisão
clock-line = { $clock } até { $due }: { $state }
clock-met = cumprido
clock-breached-late = estourado, { $late } de atraso
clock-stopped = parado
clock-breached-ago = ESTOURADO há { $ago }
clock-left = faltam { $left }

## /lead show

show-title = Lead #{ $lead }: { $title }
field-stage = Etapa
field-external-id = ID externo
field-company-size = Porte da empresa
show-no-handoffs = Nenhum repasse ainda.
show-handoff = Repasse #{ $handoff } ({ $status ->
        [open] em aberto
        [accepted] aceito
        [rejected] recusado
       *[other] { $status }
    }) para { $assignee }, aberto { $opened }
show-attached = Anexado a
show-attached-line = { $when }: MQL da mesma pessoa, anexado ao repasse #{ $handoff } do lead #{ $lead } (uma pessoa, um repasse)

## O histórico de um repasse (guardado com os argumentos, exibido no idioma de quem lê)

why-stage-changed = etapa mudou de { $from } para mql em { $at }
why-created = criado como mql em { $at }
log-reminded = lembrete enviado: { $clock } até { $due }
log-snoozed = adiou o lembrete de { $clock } por { $span }, até { $until }

## /lead snooze

snooze-stop-disposition = /lead accept { $lead } ou /lead reject { $lead } REASON
snooze-no-open-handoff = o lead #{ $lead } não tem repasse em aberto: não há lembrete para adiar
snooze-not-assignee = só o responsável ({ $assignee }) pode adiar os lembretes do lead #{ $lead }
snooze-nothing-to-come = não há mais lembretes do lead #{ $lead } por vir: não há o que adiar
snooze-already = você já adiou o lembrete de { $clock } do lead #{ $lead } (até { $until }): cada prazo só pode ser adiado uma vez. Para cumpri-lo, digite { $stop }
snooze-past-deadline =
    um adiamento de { $by } chegaria ao prazo de { $clock } do lead #{ $lead } ({ $deadline }, em { $left }): adie por menos de { $left } ou cumpra o prazo com { $stop }
    uso: /lead snooze LEAD DURATION
snooze-raced = o lembrete de { $clock } do lead #{ $lead } já foi adiado: cada prazo só pode ser adiado uma vez
snooze-manager-told = { $name } foi avisado.
snooze-done = Lembrete de { $clock } do lead #{ $lead } adiado por { $span }: o próximo chega { $next } ({ $next_relative }); o prazo continua { $deadline } ({ $deadline_relative }).
snoozed-title = { $who } adiou o lembrete de { $clock } do lead #{ $lead } { $title } por { $span }
snoozed-text = Próximo lembrete { $next } ({ $next_relative }); o prazo de { $clock } continua { $deadline } ({ $deadline_relative }).

## /baton away, back, who

away-over =
    { $period } já passou (hoje é { $today } para { $person }): informe hoje ou dias futuros
    uso: /baton away [PERSON] today|3d|YYYY-MM-DD..YYYY-MM-DD [note]
away-told = { $person } está ausente de { $first } a { $last } (definido por { $by }): nenhum lead novo vai para essa pessoa até lá
away-told-note = { $person } está ausente de { $first } a { $last } (definido por { $by }): nenhum lead novo vai para essa pessoa até lá. Nota: { $note }
away-done = { $who ->
        [you] Você está ausente
       *[other] { $who } está ausente
    } de { $first } a { $last }: nenhum lead novo até lá. /baton back encerra antes.
back-told = { $person } voltou (definido por { $by }): os leads novos voltam a ir para essa pessoa
back-done = { $who ->
        [you] Bem-vindo de volta: você volta a receber
       *[other] { $who } voltou e volta a receber
    } leads novos, no ritmo justo do rodízio (sem compensar os que perdeu).
who-team = Equipe { $team }:
who-open = { $count ->
        [one] 1 em aberto
       *[other] { $count } em aberto
    }
who-open-of = { $count }/{ $max } em aberto
who-away-until = ausente até { $last }
who-at-cap = no limite
who-outside-hours = fora do expediente
who-available = disponível
who-no-reps = nenhum vendedor
who-no-teams = Nenhuma equipe configurada.

## /baton link, confirm, links

link-unknown-email = { $email } não é usuário do Baton: use o seu e-mail de trabalho como está na configuração do Baton (peça a um admin para incluir você)
link-already-in-config = sua conta do Discord já está na configuração do Baton como { $email }; não há o que vincular
link-email-in-config = { $email } já tem a conta do Discord na configuração do Baton, então não pode ser vinculado; fale com um admin se estiver errado
link-requested-manager = Vínculo solicitado: <@{ $user }> como { $email }. Vale assim que seu gestor ({ $manager }) ou um admin confirmar com /baton confirm @você.
link-requested-admin = Vínculo solicitado: <@{ $user }> como { $email }. Vale assim que um admin confirmar com /baton confirm @você.
link-none-waiting = <@{ $user }> não tem vínculo pendente: a pessoa precisa rodar /baton link EMAIL antes
link-no-longer-user = { $email } não é mais usuário do Baton, então o vínculo não pode ser confirmado
link-confirm-in-config = { $email } já tem a conta do Discord na configuração do Baton, então não pode ser vinculado
link-confirmed = Vinculado: <@{ $user }> é { $email } no Baton.
links-title = Vínculos com o Discord: { $count }
links-confirmed = { $email } = usuário do Discord { $user } (confirmado por { $by })
links-waiting = { $email } ← usuário do Discord { $user } (aguardando desde { $since })
links-unknown = desconhecido
links-history = Histórico:
links-nothing-yet = nada ainda
links-someone = alguém
links-log-requested = { $when } o usuário do Discord { $user } pediu para ser { $email }
links-log-confirmed = { $when } { $by } confirmou o usuário do Discord { $user } como { $email }

## Motivos de recusa como as pessoas leem (os códigos continuam em inglês)

reason-not_a_fit = Fora do perfil
reason-no_budget = Sem orçamento
reason-no_authority = Sem poder de decisão
reason-no_need = Sem necessidade
reason-bad_timing = Momento errado
reason-bad_contact = Contato inválido
reason-duplicate = Duplicado
reason-competitor = Concorrente
reason-spam = Spam
reason-other = Outro
choice-source = origem
choice-campaign = campanha
choice-rep = vendedor
choice-team = equipe

## Discord: erros nas opções e as descrições dos comandos

discord-option-missing = falta a opção "{ $option }"
discord-rating-needed = falta a nota, de 1 a 5
discord-customers-needed = falta o número de clientes
discord-unknown-command = /{ $command } não é um comando do Baton: tente /baton help (talvez seja preciso registrar os comandos do Baton de novo)
discord-unknown-subcommand = /{ $command } { $sub } não é um comando do Baton: tente /baton help
discord-opt-lead = O número do lead (como no alerta) ou o ID externo
discord-opt-note = Uma nota para o registro
discord-opt-period = 7d, 30d (padrão), 90d, this-week, last-month, this-quarter, 2026-01-01..2026-03-31
discord-opt-whose = De quem (o e-mail); você, se ficar em branco
discord-opt-team = O nome de uma equipe
discord-lead = Trabalhe um lead repassado para vendas
discord-lead-ack = Você assumiu: para o prazo de primeira resposta
discord-lead-ack-lead = { discord-opt-lead }
discord-lead-contacted = Você falou com o lead
discord-lead-contacted-lead = { discord-opt-lead }
discord-lead-contacted-note = { discord-opt-note }
discord-lead-accept = O lead é uma oportunidade real (vira SQL)
discord-lead-accept-lead = { discord-opt-lead }
discord-lead-accept-note = { discord-opt-note }
discord-lead-reject = O lead não é para vendas
discord-lead-reject-lead = { discord-opt-lead }
discord-lead-reject-reason = Por quê
discord-lead-reject-note = { discord-opt-note }
discord-lead-rate = Avalie a qualidade do lead para o marketing
discord-lead-rate-lead = { discord-opt-lead }
discord-lead-rate-stars = 1 (ruim) a 5 (ótimo)
discord-lead-rate-note = { discord-opt-note }
discord-lead-show = O lead, o histórico e os prazos de SLA
discord-lead-show-lead = { discord-opt-lead }
discord-lead-why = Por que o lead foi para o responsável (responsável, gestor, admins)
discord-lead-why-lead = { discord-opt-lead }
discord-lead-mine = Seus leads em aberto e o tempo que falta em cada um
discord-lead-reassign = Passe o lead para outra pessoa (gestores, admins)
discord-lead-reassign-lead = { discord-opt-lead }
discord-lead-reassign-person = O e-mail do novo responsável
discord-lead-snooze = Adie o próximo lembrete (uma vez por prazo, antes do vencimento)
discord-lead-snooze-lead = { discord-opt-lead }
discord-lead-snooze-duration = Por quanto tempo, ex.: 30m, 2h ou 1h30m
discord-lead-handback = Devolva seu lead ao rodízio (uma vez, antes de estourar o SLA)
discord-lead-handback-lead = { discord-opt-lead }
discord-lead-handback-reason = Por quê, para o registro
discord-funnel = O funil de leads e o plano do funil reverso
discord-funnel-report = O funil de leads e o resultado dos repasses
discord-funnel-report-period = { discord-opt-period }
discord-funnel-report-by = Agrupar por
discord-funnel-report-chart = Incluir o gráfico do funil
discord-funnel-report-share = Publicar neste canal para todos (senão só você vê)
discord-funnel-plan = O que cada etapa precisa entregar para N clientes, ao lado do ritmo
discord-funnel-plan-customers = Clientes a conquistar
discord-funnel-plan-period = Quando: this-quarter (padrão), this-month, this-week, 2027-01-01..2027-03-31
discord-funnel-plan-basis = Conversões medidas em: 90d (padrão), 180d, last-quarter, ...
discord-funnel-plan-by = Dividir por
discord-funnel-plan-chart = Incluir o gráfico do plano
discord-sla = Tempos de resposta em relação ao SLA
discord-sla-period = { discord-opt-period }
discord-sla-team = { discord-opt-team }
discord-baton = Ajuda e vínculo de contas do Discord
discord-baton-help = O que o Baton faz
discord-baton-link = Vincule sua conta do Discord ao seu usuário do Baton
discord-baton-link-email = Seu e-mail de trabalho, como na configuração do Baton
discord-baton-confirm = Confirme o vínculo de alguém (o gestor do vendedor; senão, um admin)
discord-baton-confirm-user = A pessoa que rodou /baton link
discord-baton-links = Os vínculos com o Discord e o histórico (gestores, admins)
discord-baton-away = Ausente: nenhum lead novo até lá (você; gestores para a equipe)
discord-baton-away-period = today, 3d, 2026-12-24 ou 2026-12-20..2027-01-03
discord-baton-away-person = { discord-opt-whose }
discord-baton-away-note = { discord-opt-note }
discord-baton-back = Disponível de novo a partir de agora
discord-baton-back-person = { discord-opt-whose }
discord-baton-who = Quem está disponível, ausente ou fora do expediente, com leads em aberto
discord-baton-who-team = { discord-opt-team }

## Formulários e seletores

modal-reject-title = Recusar lead #{ $lead }
modal-contacted-title = Lead #{ $lead } contatado
modal-reason = Motivo
modal-note = Nota (opcional)
modal-contacted-placeholder = Como você falou com a pessoa, qual é o próximo passo
modal-rate-question = Qual foi a qualidade do lead #{ $lead }?
modal-cancel = Cancelar
modal-reject-placeholder = Por que este lead não é para vendas?
modal-note-label = Nota
modal-record-contact = Registrar contato
discord-how-to-link = O Baton ainda não conhece sua conta do Discord. Rode /baton link voce@empresa.com com seu e-mail de trabalho e peça ao seu gestor ou a um admin para confirmar com /baton confirm @você.

## Um alerta reatribuído e o fim de uma cascata

note-by = por { $who }
note-handed-back = devolvido
note-missed = { $clock ->
        [ack] confirmação perdida
        [first_touch] primeiro contato perdido
       *[disposition] decisão perdida
    }
reassigned-to-you = Reatribuído a você, vindo de { $from } ({ $note }): { $lead }
reassigned-to = Reatribuído a { $to }, vindo de { $from } ({ $note }): { $lead }
field-waiting = Esperando
reassigned-waiting = desde { $since } ({ $total } no total)
cascade-end = { $count ->
        [0] Não reatribuído
        [one] Reatribuído uma vez após um SLA estourado
       *[other] Reatribuído { $count } vezes após SLAs estourados
    } (max_reassign = { $max }): o lead fica com { $manager }, gestor da equipe.

## Routing: why a lead went to whom (/lead why, the alert's Assigned line)

route-had-it = { $name } já teve este lead
route-away = { $name } está ausente até { $until }
route-at-cap = { $name } está no limite ({ $open }/{ $max } em aberto)
route-outside-hours = { $name } está fora do expediente
route-owner-unknown = o responsável { $email } não é um usuário do Baton
route-owner-not-selling = o responsável pelo lead, { $name }, { $role ->
        [admin] é admin
        [manager] é gestor
        [marketer] é de marketing
       *[other] tem o papel { $role }
    }
route-account-owner-not-selling = o responsável por { $domain }, { $name }, { $role ->
        [admin] é admin
        [manager] é gestor
        [marketer] é de marketing
       *[other] tem o papel { $role }
    }
route-account-no-owner = a conta { $domain } não tem responsável
route-account-owner-unknown = o responsável por { $domain } ({ $email }) não é um usuário do Baton
route-account-owner-unavailable = responsável pela conta { $domain }: { $why }
route-team-rule = a regra { $rule } escolheu a equipe { $team }
route-team-fallback = [routing] fallback_team é { $team }
route-team-owner = a equipe { $team } é a do responsável
route-team-first = nenhuma regra se aplicou: { $team } é a primeira equipe
route-owns-lead = é responsável pelo lead
route-owns-lead-rotation-only = é responsável pelo lead, mas a equipe { $team } distribui só por rodízio
route-owns-account = é responsável pela conta { $domain }
route-owns-memory = é responsável por { $domain } (aceitou o último lead dessa conta, repasse { $handoff })
route-owns-but = { $owns }, mas { $why }
route-owner = { $name } é responsável pelo lead
route-owner-of = { $name } { $owns }
route-owner-no-team = { $name } é responsável pelo lead (nenhuma equipe configurada)
route-no-team = nenhuma equipe configurada: adicione um [[team]] e entradas [[person]]
route-owners-only = a equipe só distribui para o responsável
route-rotation = rodízio em { $team }
route-rotation-night = rodízio em { $team } (ninguém está no expediente agora)
route-nobody-available = ninguém em { $team } está disponível
route-turn = a vez no rodízio ponderado de { $team } (peso { $weight })
route-not-turn = disponível, mas ainda não é a vez
route-with-notes = { $how }; { $notes }
route-to-manager = { $headline }: enviado ao gestor
route-to-manager-notes = { $headline } ({ $notes }): enviado ao gestor
route-manages = gestor de { $team }: { $headline }
why-assigned = Atribuído a { $assignee }: { $summary }
why-team = Equipe: { $team }
why-domain = Domínio da empresa: { $domain }
why-no-candidates = Esta decisão não guardou a lista de candidatos (foi tomada antes de o Baton guardá-la).
why-chosen = ✓ fica com o lead: { $name } ({ $email }), etapa { $step ->
        [owner] do responsável
        [account] da conta
        [rotation] do rodízio
       *[manager] do gestor
    }: { $why }
why-skipped = ✗ não fica com o lead: { $name } ({ $email }), etapa { $step ->
        [owner] do responsável
        [account] da conta
        [rotation] do rodízio
       *[manager] do gestor
    }: { $why }

## A handoff's history: assignments, reassignments and breaches

log-assigned = atribuído a { $to }: { $why }
log-assigned-nobody = sem atribuição: { $why }
log-no-alert-imported = sem alerta: carregado por baton import --history
log-no-alert-too-old = sem alerta: a mudança é mais antiga que watch.max_alert_age
log-reassigned = reatribuído a { $to }: { $why }
log-fresh-window = nova janela de SLA para { $to } a partir de { $from }
log-breached = SLA estourado: { $clock }, prazo { $due }
log-breached-silent = SLA estourado: { $clock }, prazo { $due } (sem alerta para este repasse)
log-breached-stopped = SLA estourado: { $clock }, prazo { $due }; concluído em { $stopped }
log-breached-own-window = SLA estourado: { $clock }, prazo { $due } na janela própria de { $name }; concluído em { $stopped }
why-handed-back = devolvido por { $name }; { $why }
why-handed-back-because = devolvido por { $name } ({ $reason }); { $why }
why-breach-reassigned = SLA de { $clock } estourado; { $why }
why-breach-to-manager = SLA de { $clock } estourado após { $count ->
        [one] 1 reatribuição
       *[other] { $count } reatribuições
    } (max_reassign): o lead fica com o gestor da equipe

## Typed mistakes found after the grammar: a team, an away period

team-unknown = não existe a equipe "{ $team }": use uma destas: { $teams } (ou nenhuma, para todas)
team-unknown-none = não existe a equipe "{ $team }": nenhuma equipe está configurada
away-days-out-of-range = "{ $word }" é longo ou curto demais: a ausência vai de 1d a 366d
away-not-a-period = "{ $word }" não é um período: use today, 3d, 2026-12-24 ou 2026-12-20..2027-01-03
away-ends-before-start = "{ $word }" termina antes de começar: escreva primeiro o dia inicial

## Notices when a command, button or form could not be handled

notice-slack-no-email = O Baton não consegue ver seu e-mail no Slack: peça a um admin para adicionar slack_id ao seu [[person]] na configuração do Baton
notice-slack-unreachable = O Baton não conseguiu falar com o Slack para saber quem é você: tente de novo em um minuto
notice-shared = Publicado no canal para todos.
notice-share-failed = O Baton não conseguiu publicar no canal; nada foi compartilhado. Tente de novo.
notice-failed = Algo deu errado no Baton; nada foi alterado. Tente de novo ou avise um admin.
notice-failed-short = Algo deu errado no Baton. Tente de novo ou avise um admin.
notice-failed-form = Algo deu errado no Baton; nada foi alterado. Tente de novo.
notice-unknown-command = O Baton não conhece { $command }: use /lead, /funnel, /sla ou /baton help
notice-working = Processando…
notice-no-form = O Baton não conseguiu abrir o formulário; digite { $instead }.
notice-internal-error = O Baton não conseguiu fazer isso por um erro interno (já registrado). Tente de novo daqui a pouco.
notice-could-not = O Baton não conseguiu fazer isso.
notice-no-interaction-id = O Baton não consegue tratar uma interação sem id.
notice-replayed = Esta interação já foi tratada; nada foi alterado.
notice-no-discord-user = O Baton não consegue identificar você no Discord.
notice-unknown-interaction = O Baton não trata este tipo de interação.
