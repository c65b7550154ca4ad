eb config --update "settings: {aws:autoscaling:asg: {MaxSize: '6', Cooldown: '120'}}"
url=$(eb status | grep CNAME | awk '{print $2}')
load --shape spike --rate 160 --duration 30m "http://$url/"
