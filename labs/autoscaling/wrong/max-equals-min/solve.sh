eb config --update "settings: {aws:autoscaling:trigger: {MeasureName: CPUUtilization, Statistic: Average, Unit: Percent, UpperThreshold: '50', LowerThreshold: '20', Period: '1', BreachDuration: '1', UpperBreachScaleIncrement: '2', LowerBreachScaleIncrement: '-1'}}"
url=$(eb status | grep CNAME | awk '{print $2}')
load --shape spike --rate 160 --duration 30m "http://$url/"
