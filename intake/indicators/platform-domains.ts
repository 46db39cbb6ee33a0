/**
 * Sites where anyone may open an account or a short link: social networks,
 * messengers, app stores, link shorteners and link-in-bio pages. Thousands of
 * unrelated reports name them, so their domain says nothing about who is
 * behind a scam and is never an indicator; the page on them (a profile, a
 * group, an app, a short link) is, and is kept as its full URL. Registrable
 * domains, as `registrableDomain` gives them.
 */
export const platformDomains: ReadonlySet<string> = new Set([
  // Social networks and their short forms
  'facebook.com',
  'fb.com',
  'fb.me',
  'fb.watch',
  'messenger.com',
  'm.me',
  'instagram.com',
  'threads.net',
  'tiktok.com',
  'x.com',
  'twitter.com',
  't.co',
  'youtube.com',
  'youtu.be',
  'linkedin.com',
  'lnkd.in',
  'reddit.com',
  'snapchat.com',
  'pinterest.com',
  'tumblr.com',
  'medium.com',
  'vk.com',
  'weibo.com',
  'douyin.com',
  'xiaohongshu.com',
  'naver.com',
  'kakao.com',
  'daum.net',
  // Messengers
  't.me',
  'telegram.me',
  'telegram.org',
  'line.me',
  'lin.ee',
  'wa.me',
  'whatsapp.com',
  'zalo.me',
  'viber.com',
  'signal.me',
  'discord.gg',
  'discord.com',
  'qq.com',
  'wechat.com',
  'skype.com',
  // App stores and the big suites (play.google.com, apps.apple.com, forms, drives)
  'google.com',
  'goo.gl',
  'g.co',
  'forms.gle',
  'apple.com',
  'microsoft.com',
  'live.com',
  'dropbox.com',
  // Link shorteners and link-in-bio pages
  'bit.ly',
  'tinyurl.com',
  'is.gd',
  'cutt.ly',
  'rebrand.ly',
  'ow.ly',
  's.id',
  'shorturl.at',
  'tiny.cc',
  'rb.gy',
  'shorturl.asia',
  'linktr.ee',
  'onelink.me',
  'page.link',
]);

export function isPlatformDomain(domain: string | undefined): boolean {
  return domain !== undefined && platformDomains.has(domain);
}
