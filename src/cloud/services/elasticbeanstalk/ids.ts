// Identifiers and names in Elastic Beanstalk's formats (environment ids, CNAMEs, instance ids,
// resource names, ARNs), from a seeded generator so a snapshot restores the same sequence.

export class IdGenerator {
  constructor(private state: number = 0x9e3779b9) {}

  get seed(): number {
    return this.state;
  }

  set seed(value: number) {
    this.state = value >>> 0;
  }

  /** mulberry32: small, fast and good enough for names that only need to look random. */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  chars(n: number, alphabet: string): string {
    let out = '';
    for (let i = 0; i < n; i++) out += alphabet[Math.floor(this.next() * alphabet.length)];
    return out;
  }

  lowerAlnum(n: number): string {
    return this.chars(n, 'abcdefghijklmnopqrstuvwxyz0123456789');
  }

  upperAlnum(n: number): string {
    return this.chars(n, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789');
  }

  hex(n: number): string {
    return this.chars(n, '0123456789abcdef');
  }

  digits(n: number): string {
    return this.chars(1, '123456789') + this.chars(n - 1, '0123456789');
  }

  environmentId(): string {
    return `e-${this.lowerAlnum(10)}`;
  }

  instanceId(): string {
    return `i-0${this.hex(16)}`;
  }

  uuid(): string {
    const h = this.hex(32);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
  }
}

export function applicationArn(region: string, account: string, app: string): string {
  return `arn:aws:elasticbeanstalk:${region}:${account}:application/${app}`;
}

export function versionArn(region: string, account: string, app: string, label: string): string {
  return `arn:aws:elasticbeanstalk:${region}:${account}:applicationversion/${app}/${label}`;
}

export function environmentArn(region: string, account: string, app: string, env: string): string {
  return `arn:aws:elasticbeanstalk:${region}:${account}:environment/${app}/${env}`;
}

export function templateArn(region: string, account: string, app: string, template: string): string {
  return `arn:aws:elasticbeanstalk:${region}:${account}:configurationtemplate/${app}/${template}`;
}

export function storageBucket(region: string, account: string): string {
  return `elasticbeanstalk-${region}-${account}`;
}

/** `e-abcdefghij` → `e-a`, as EB abbreviates ids inside load balancer names. */
export function shortEnvId(id: string): string {
  return id.slice(0, 3);
}
