/**
 * @module i18n/messages/zh-CN
 * Simplified Chinese, with the polite 您 that Chinese shop signage uses.
 */
import type { MessageKey } from './en.js';

export const zhCN: Record<MessageKey, string> = {
  'greeting.welcome': '{name}，欢迎光临',
  'greeting.welcomeBack': '{name}，欢迎回来',
  'greeting.birthday': '{name}，生日快乐！',

  'headline.forYou': '为您精选',
  'headline.bestOfZone': '{zone}精选',
  'headline.popularHere': '和您口味相近的顾客都在买',
  'headline.popularInZone': '{zone}人气热卖',
  'headline.birthday': '为您准备的生日惊喜',
  'headline.winback': '好久不见，欢迎回来',
  'headline.newArrivals': '为您推荐新品',
  'headline.goesWith': '和{product}是绝配',
  'headline.dwellOffer': '不妨仔细看看',
  'headline.lifeStage': '为您的宝宝精选',

  'badge.forYou': '为您推荐',
  'badge.memberPrice': '会员价',
  'badge.offer': '优惠',
  'badge.bestSeller': '热销',
  'badge.newIn': '新品',
  'badge.birthday': '生日礼遇',
  'badge.goesWith': '搭配推荐',
  'badge.forStage': '宝宝适用',

  'note.becauseYouLike': '因为您喜欢{category}',
  'note.popularHere': '本店顾客热选',
  'note.memberSaves': '会员立省{amount}',
  'note.yourMemberPrice': '您的会员专享价',
  'note.newIn': '{category}新品上架',
  'note.goesWith': '和{product}很搭',
  'note.forStage': '适合{stage}阶段',
  'note.birthday': '送给您的生日礼物',
  'label.memberPrice': '会员价',
  'talk.birthdayToday': '今天生日',
  'talk.birthdaySoon': '{days}天后生日',
  'talk.browsed': '看过{product}，还没有购买',
  'talk.tappedToday': '今天在货架前查看了{product}',
  'talk.loves': '喜欢{category}',
  'talk.backAfter': '{days}天来首次到店',
  'talk.points': '可用积分{points, number}',
  'talk.lastBought': '最近购买：{product}',
  'why.browsed': '看过未购买',
  'why.boughtBefore': '曾经购买',
  'why.likes': '喜欢{category}',
  'why.goesWith': '与以往购买相配',
  'why.popular': '相似顾客喜爱',
};
