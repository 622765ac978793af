/**
 * @module associate/words
 * Every word the associate app prints itself, in the store's language (an alert's `locale`). The engine's
 * own words (suggestions' `why`, talking points) arrive already translated (docs/i18n.md). Keyed by
 * language like the screen's labels (screen/labels.ts), so `de-AT` reads German and `zh-TW` Simplified
 * Chinese (the engine's catalogs fall back the same way); anything else reads English.
 * Times and numbers are formatted with `Intl` in the same locale.
 */
import type { Lifecycle, Tier } from '../shared/contracts.js';

export interface AssociateWords {
  appTitle: string;
  connected: string;
  connecting: string;
  reconnecting: string;
  refused: string;
  signedInAs: (associateId: string) => string;
  signOut: string;
  sound: string;
  soundHint: string;
  emptyTitle: string;
  emptyDetail: string;
  offlineBanner: string;
  vipMember: string;
  tier: Record<Tier, string>;
  lifecycle: Record<Lifecycle, string>;
  stateNew: string;
  stateMine: string;
  stateOther: (associateId: string) => string;
  stateReleased: string;
  arrived: string;
  lingering: string;
  updated: string;
  points: (formatted: string) => string;
  visitsThisYear: (n: number) => string;
  birthdayIn: (days: number) => string;
  tags: string;
  profile: string;
  lastPurchases: string;
  browsed: string;
  suggestions: string;
  talkingPoints: string;
  nothingYet: string;
  claim: string;
  release: string;
  claiming: string;
  releasing: string;
  claimedByMeNote: string;
  claimedByOther: (associateId: string) => string;
  queuedClaim: string;
  queuedRelease: string;
  cancel: string;
  takenWhileOffline: (associateId: string) => string;
  noAnswer: string;
  back: string;
  alertGone: string;
  zone: string;
  // Sign-in
  signInTitle: string;
  signInIntro: string;
  token: string;
  tokenHint: string;
  associateId: string;
  associateHint: string;
  storeId: string;
  storeHint: string;
  signIn: string;
  checking: string;
  show: string;
  hide: string;
  chooseStore: string;
  rejectedTitle: string;
  rejectedDetail: (message: string) => string;
  errUnreachable: string;
  errToken: string;
  errNoStore: string;
  errAssociate: string;
  errWrongStore: (storeId: string) => string;
  soundLocked: string;
}

const plural = (n: number, one: string, other: string) => (n === 1 ? one : other);

const en: AssociateWords = {
  appTitle: 'VIPs in store',
  connected: 'Connected',
  connecting: 'Connecting…',
  reconnecting: 'Reconnecting…',
  refused: 'Sign-in refused',
  signedInAs: (id) => `Signed in as ${id}`,
  signOut: 'Sign out',
  sound: 'Sound & vibration',
  soundHint: 'A short beep and a buzz for each new VIP.',
  emptyTitle: 'No VIPs in the store right now',
  emptyDetail: 'When a VIP member walks in, they appear here.',
  offlineBanner: 'Offline — reconnecting. A claim you make now is sent when the connection is back.',
  vipMember: 'VIP member',
  tier: { member: 'Member', silver: 'Silver', gold: 'Gold', platinum: 'Platinum' },
  lifecycle: { prospect: 'Prospect', new: 'New member', active: 'Active', dormant: 'Dormant', churned: 'Lapsed' },
  stateNew: 'New',
  stateMine: 'Claimed by you',
  stateOther: (id) => `Claimed by ${id}`,
  stateReleased: 'Released',
  arrived: 'Arrived',
  lingering: 'Lingering',
  updated: 'Updated',
  points: (p) => `${p} points`,
  visitsThisYear: (n) => `${n} ${plural(n, 'visit', 'visits')} this year`,
  birthdayIn: (d) => (d === 0 ? 'Birthday today' : d === 1 ? 'Birthday tomorrow' : `Birthday in ${d} days`),
  tags: 'Tags',
  profile: 'Profile',
  lastPurchases: 'Last purchases',
  browsed: 'Browsed, not bought',
  suggestions: 'Suggestions',
  talkingPoints: 'Talking points',
  nothingYet: 'Nothing yet',
  claim: 'Claim',
  release: 'Release',
  claiming: 'Claiming…',
  releasing: 'Releasing…',
  claimedByMeNote: 'You are looking after this VIP.',
  claimedByOther: (id) => `Claimed by ${id}`,
  queuedClaim: 'Offline: your claim is sent when the connection is back.',
  queuedRelease: 'Offline: your release is sent when the connection is back.',
  cancel: 'Cancel',
  takenWhileOffline: (id) => `${id} claimed this VIP first.`,
  noAnswer: 'No answer from the engine. Try again.',
  back: 'Back',
  alertGone: 'This alert is no longer open.',
  zone: 'Zone',
  signInTitle: 'Sign in',
  signInIntro: 'Get an alert when a VIP member is in the store.',
  token: 'Access token',
  tokenHint: 'Your associate token. It stays on this phone until you sign out.',
  associateId: 'Your associate id',
  associateHint: 'As on your token, e.g. assoc-1.',
  storeId: 'Store id',
  storeHint: 'Leave empty to use your token’s store.',
  signIn: 'Sign in',
  checking: 'Checking…',
  show: 'Show',
  hide: 'Hide',
  chooseStore: 'This token reaches several stores. Which one?',
  rejectedTitle: 'The engine refused this sign-in',
  rejectedDetail: (m) => `${m} Check the token, store and associate id, or sign out and sign in again.`,
  errUnreachable: 'The engine could not be reached. Check the phone’s Wi-Fi, then try again.',
  errToken: 'The engine does not know this token. Check that it was copied whole.',
  errNoStore: 'This token reaches no store. Ask for a token of your store.',
  errAssociate: 'Enter your associate id.',
  errWrongStore: (id) => `This token is not for store ${id}.`,
  soundLocked: 'Tap anywhere once so this phone may play the alert sound.',
};

const de: AssociateWords = {
  appTitle: 'VIPs im Laden',
  connected: 'Verbunden',
  connecting: 'Verbinde …',
  reconnecting: 'Verbindet neu …',
  refused: 'Anmeldung abgelehnt',
  signedInAs: (id) => `Angemeldet als ${id}`,
  signOut: 'Abmelden',
  sound: 'Ton & Vibration',
  soundHint: 'Ein kurzer Ton und Vibration bei jedem neuen VIP.',
  emptyTitle: 'Gerade sind keine VIPs im Laden',
  emptyDetail: 'Sobald ein VIP-Mitglied den Laden betritt, erscheint es hier.',
  offlineBanner: 'Offline – Verbindung wird wiederhergestellt. Was du jetzt übernimmst, wird gesendet, sobald die Verbindung zurück ist.',
  vipMember: 'VIP-Mitglied',
  tier: { member: 'Mitglied', silver: 'Silber', gold: 'Gold', platinum: 'Platin' },
  lifecycle: { prospect: 'Interessent', new: 'Neues Mitglied', active: 'Aktiv', dormant: 'Ruhend', churned: 'Abgewandert' },
  stateNew: 'Neu',
  stateMine: 'Von dir übernommen',
  stateOther: (id) => `Übernommen von ${id}`,
  stateReleased: 'Freigegeben',
  arrived: 'Angekommen',
  lingering: 'Verweilt',
  updated: 'Aktualisiert',
  points: (p) => `${p} Punkte`,
  visitsThisYear: (n) => `${n} ${plural(n, 'Besuch', 'Besuche')} dieses Jahr`,
  birthdayIn: (d) => (d === 0 ? 'Hat heute Geburtstag' : d === 1 ? 'Hat morgen Geburtstag' : `Geburtstag in ${d} Tagen`),
  tags: 'Merkmale',
  profile: 'Profil',
  lastPurchases: 'Zuletzt gekauft',
  browsed: 'Angesehen, nicht gekauft',
  suggestions: 'Vorschläge',
  talkingPoints: 'Gesprächsthemen',
  nothingYet: 'Noch nichts',
  claim: 'Übernehmen',
  release: 'Freigeben',
  claiming: 'Wird übernommen …',
  releasing: 'Wird freigegeben …',
  claimedByMeNote: 'Du kümmerst dich um diesen VIP.',
  claimedByOther: (id) => `Übernommen von ${id}`,
  queuedClaim: 'Offline: deine Übernahme wird gesendet, sobald die Verbindung zurück ist.',
  queuedRelease: 'Offline: deine Freigabe wird gesendet, sobald die Verbindung zurück ist.',
  cancel: 'Abbrechen',
  takenWhileOffline: (id) => `${id} hat diesen VIP zuerst übernommen.`,
  noAnswer: 'Keine Antwort vom Server. Bitte noch einmal versuchen.',
  back: 'Zurück',
  alertGone: 'Dieser Hinweis ist nicht mehr offen.',
  zone: 'Bereich',
  signInTitle: 'Anmelden',
  signInIntro: 'Erhalte einen Hinweis, wenn ein VIP-Mitglied im Laden ist.',
  token: 'Zugangstoken',
  tokenHint: 'Dein Mitarbeiter-Token. Es bleibt auf diesem Telefon, bis du dich abmeldest.',
  associateId: 'Deine Mitarbeiter-ID',
  associateHint: 'Wie auf deinem Token, z. B. assoc-1.',
  storeId: 'Filial-ID',
  storeHint: 'Leer lassen für die Filiale deines Tokens.',
  signIn: 'Anmelden',
  checking: 'Wird geprüft …',
  show: 'Zeigen',
  hide: 'Verbergen',
  chooseStore: 'Dieses Token gilt für mehrere Filialen. Welche?',
  rejectedTitle: 'Der Server hat die Anmeldung abgelehnt',
  rejectedDetail: (m) => `${m} Prüfe Token, Filiale und Mitarbeiter-ID, oder melde dich ab und wieder an.`,
  errUnreachable: 'Der Server ist nicht erreichbar. Prüfe das WLAN des Telefons und versuche es noch einmal.',
  errToken: 'Dieses Token ist dem Server unbekannt. Prüfe, ob es vollständig kopiert wurde.',
  errNoStore: 'Dieses Token gilt für keine Filiale. Frage nach einem Token deiner Filiale.',
  errAssociate: 'Gib deine Mitarbeiter-ID ein.',
  errWrongStore: (id) => `Dieses Token gilt nicht für die Filiale ${id}.`,
  soundLocked: 'Tippe einmal irgendwohin, damit das Telefon den Hinweiston abspielen darf.',
};

const zh: AssociateWords = {
  appTitle: '店内 VIP',
  connected: '已连接',
  connecting: '正在连接…',
  reconnecting: '正在重新连接…',
  refused: '登录被拒绝',
  signedInAs: (id) => `当前登录：${id}`,
  signOut: '退出登录',
  sound: '声音和振动',
  soundHint: '每位新 VIP 到店时发出提示音并振动。',
  emptyTitle: '目前店内没有 VIP',
  emptyDetail: 'VIP 会员到店时会显示在这里。',
  offlineBanner: '已离线，正在重新连接。现在认领的提醒会在恢复连接后发送。',
  vipMember: 'VIP 会员',
  tier: { member: '会员', silver: '银卡', gold: '金卡', platinum: '白金卡' },
  lifecycle: { prospect: '潜在客户', new: '新会员', active: '活跃', dormant: '沉睡', churned: '已流失' },
  stateNew: '新',
  stateMine: '已由您认领',
  stateOther: (id) => `已由 ${id} 认领`,
  stateReleased: '已释放',
  arrived: '到店',
  lingering: '停留中',
  updated: '已更新',
  points: (p) => `${p} 积分`,
  visitsThisYear: (n) => `今年到店 ${n} 次`,
  birthdayIn: (d) => (d === 0 ? '今天生日' : d === 1 ? '明天生日' : `${d} 天后生日`),
  tags: '标签',
  profile: '概况',
  lastPurchases: '最近购买',
  browsed: '看过未买',
  suggestions: '推荐',
  talkingPoints: '沟通要点',
  nothingYet: '暂无',
  claim: '认领',
  release: '释放',
  claiming: '正在认领…',
  releasing: '正在释放…',
  claimedByMeNote: '由您接待这位 VIP。',
  claimedByOther: (id) => `已由 ${id} 认领`,
  queuedClaim: '离线：恢复连接后将发送您的认领。',
  queuedRelease: '离线：恢复连接后将发送您的释放。',
  cancel: '取消',
  takenWhileOffline: (id) => `${id} 已先认领这位 VIP。`,
  noAnswer: '服务器没有响应，请重试。',
  back: '返回',
  alertGone: '此提醒已关闭。',
  zone: '区域',
  signInTitle: '登录',
  signInIntro: 'VIP 会员到店时接收提醒。',
  token: '访问令牌',
  tokenHint: '您的店员令牌。退出登录前会保存在这部手机上。',
  associateId: '您的店员编号',
  associateHint: '与令牌上的一致，例如 assoc-1。',
  storeId: '门店编号',
  storeHint: '留空则使用令牌所属门店。',
  signIn: '登录',
  checking: '正在检查…',
  show: '显示',
  hide: '隐藏',
  chooseStore: '此令牌可用于多家门店，请选择：',
  rejectedTitle: '服务器拒绝了此次登录',
  rejectedDetail: (m) => `${m} 请检查令牌、门店和店员编号，或退出后重新登录。`,
  errUnreachable: '无法连接服务器。请检查手机的 Wi-Fi 后重试。',
  errToken: '服务器不认识此令牌。请检查是否完整复制。',
  errNoStore: '此令牌不属于任何门店。请索取您门店的令牌。',
  errAssociate: '请输入您的店员编号。',
  errWrongStore: (id) => `此令牌不适用于门店 ${id}。`,
  soundLocked: '请先轻触屏幕任意位置，以便手机播放提醒音。',
};

const WORDS: Record<string, AssociateWords> = { en, de, zh };

/** The app's words for a (valid or missing) BCP 47 tag. */
export function wordsFor(locale: string | undefined): AssociateWords {
  const language = (locale ?? '').split('-')[0]!.toLowerCase();
  return WORDS[language] ?? en;
}

/** `3 min ago`, `vor 3 Minuten`, `3分钟前`; `now` under 45 s. */
export function timeSince(ms: number, locale: string | undefined): string {
  let fmt: Intl.RelativeTimeFormat;
  try {
    fmt = new Intl.RelativeTimeFormat(locale, { numeric: 'auto', style: 'short' });
  } catch {
    fmt = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto', style: 'short' });
  }
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 45) return fmt.format(0, 'second');
  const m = Math.round(s / 60);
  if (m < 60) return fmt.format(-m, 'minute');
  const h = Math.round(m / 60);
  if (h < 24) return fmt.format(-h, 'hour');
  return fmt.format(-Math.round(h / 24), 'day');
}

/** A number in the locale's digits and grouping (`1,240`, `1.240`). */
export function formatNumber(n: number, locale: string | undefined): string {
  try {
    return new Intl.NumberFormat(locale).format(n);
  } catch {
    return String(n);
  }
}
