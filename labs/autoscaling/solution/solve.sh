# 1. What the fleet does today: two instances, the default trigger (NetworkOut, 6 MB up / 2 MB down over 5 minutes).
eb config --display
# 2. Room to grow and a CPU trigger that reacts within a couple of minutes.
eb config --update "settings: {aws:autoscaling:asg: {MinSize: '2', MaxSize: '6', Cooldown: '120'}, aws:autoscaling:trigger: {MeasureName: CPUUtilization, Statistic: Average, Unit: Percent, UpperThreshold: '50', LowerThreshold: '20', Period: '1', BreachDuration: '1', UpperBreachScaleIncrement: '2', LowerBreachScaleIncrement: '-1'}}"
# 3. The launch-day rehearsal: a spike to 160 requests a second against production's URL.
url=$(eb status | grep CNAME | awk '{print $2}')
load --shape spike --rate 160 --duration 30m "http://$url/"
eb events
