/**
 * What the shop sells and how visitors find it: products with categories and prices, search terms,
 * and the traffic sources (referrers and UTM campaigns) sessions arrive from. Built once per seed.
 */
import { PRODUCT_CATEGORIES, type EventType, type ProductCategory, type UserAction } from '../model/events';
import { eventPiece, urlPieces, type UrlPieces } from './event-line';
import { Random, WeightedTable, weighted } from './random';

export const SHOP_ORIGIN = 'https://shop.example.com';

/** A page's URL, and its pieces of event lines, escaped and encoded once rather than for every event. */
export interface PageUrl extends UrlPieces {
  readonly url: string;
}

export function pageUrl(url: string): PageUrl {
  return { url, ...urlPieces(url) };
}

/** The page each event about a product happens on. */
export const PRODUCT_EVENT_PAGES = {
  product_view: 'product_page',
  add_to_cart: 'product_page',
  remove_from_cart: 'cart_page',
  checkout: 'checkout_page',
  purchase: 'confirmation_page',
} as const satisfies Partial<Record<EventType, UserAction>>;
export type ProductEvent = keyof typeof PRODUCT_EVENT_PAGES;

export interface Product {
  readonly id: string;
  readonly category: ProductCategory;
  /** Unit price in EUR, ending in .99 as shop prices do. */
  readonly price: number;
  readonly page: PageUrl;
  /** The event piece of each event about it (event-line.ts); all but views carry price and quantity. */
  readonly eventJson: Readonly<Record<ProductEvent, Buffer>>;
}

interface CategoryProfile {
  /** Share of sessions interested in the category. */
  readonly interest: number;
  readonly code: string;
  readonly medianPrice: number;
  /** Spread of log(price): electronics range from cables to laptops, books barely vary. */
  readonly priceSpread: number;
  readonly searchTerms: readonly string[];
}

const CATEGORY_PROFILES: Readonly<Record<ProductCategory, CategoryProfile>> = {
  electronics: {
    interest: 0.24, code: 'ele', medianPrice: 120, priceSpread: 0.9,
    searchTerms: ['wireless headphones', 'usb c cable', 'laptop', 'smart watch', '4k monitor', 'phone case'],
  },
  clothing: {
    interest: 0.26, code: 'clo', medianPrice: 35, priceSpread: 0.6,
    searchTerms: ['running shoes', 'winter jacket', 'jeans', 'summer dress', 't shirt'],
  },
  books: {
    interest: 0.14, code: 'boo', medianPrice: 14, priceSpread: 0.4,
    searchTerms: ['cookbook', 'fantasy novel', 'children books', 'biography'],
  },
  home_appliances: {
    interest: 0.12, code: 'hom', medianPrice: 90, priceSpread: 0.8,
    searchTerms: ['coffee machine', 'vacuum cleaner', 'air fryer', 'blender'],
  },
  toys: {
    interest: 0.1, code: 'toy', medianPrice: 25, priceSpread: 0.6,
    searchTerms: ['lego', 'board game', 'puzzle', 'plush toy'],
  },
  other: {
    interest: 0.14, code: 'oth', medianPrice: 18, priceSpread: 0.7,
    searchTerms: ['gift card', 'garden tools', 'yoga mat', 'candles'],
  },
};

const PRODUCTS_PER_CATEGORY = 80;
const MIN_PRICE = 0.99;
const MAX_PRICE = 4999.99;

/** Popularity of the n-th product of a category (1-based): a few best sellers, a long tail. */
function zipf(rank: number): number {
  return 1 / rank ** 0.9;
}

/** `{"q": "usb c cable"}` → `usb+c+cable`: terms are lower-case words, so this is the whole encoding. */
function queryValue(term: string): string {
  return term.replace(/ /g, '+');
}

export interface Catalog {
  readonly categories: WeightedTable<ProductCategory>;
  readonly productsByCategory: Readonly<Record<ProductCategory, WeightedTable<Product>>>;
  readonly searchPagesByCategory: Readonly<Record<ProductCategory, readonly PageUrl[]>>;
  readonly categoryPages: Readonly<Record<ProductCategory, PageUrl>>;
}

export function buildCatalog(random: Random): Catalog {
  const productsByCategory = {} as Record<ProductCategory, WeightedTable<Product>>;
  const searchPagesByCategory = {} as Record<ProductCategory, readonly PageUrl[]>;
  const categoryPages = {} as Record<ProductCategory, PageUrl>;
  for (const category of PRODUCT_CATEGORIES) {
    const profile = CATEGORY_PROFILES[category];
    const products: Product[] = [];
    for (let index = 1; index <= PRODUCTS_PER_CATEGORY; index++) {
      const id = `${profile.code}-${String(index).padStart(4, '0')}`;
      const raw = random.logNormal(profile.medianPrice, profile.priceSpread);
      const price = Math.min(MAX_PRICE, Math.max(MIN_PRICE, (Math.max(1, Math.round(raw)) * 100 - 1) / 100));
      const eventJson = {} as Record<ProductEvent, Buffer>;
      for (const event of Object.keys(PRODUCT_EVENT_PAGES) as ProductEvent[]) {
        eventJson[event] = eventPiece(event, PRODUCT_EVENT_PAGES[event], category, { id, price }, event !== 'product_view');
      }
      products.push({ id, category, price, page: pageUrl(`${SHOP_ORIGIN}/p/${id}`), eventJson });
    }
    productsByCategory[category] = new WeightedTable(
      products,
      products.map((_, index) => zipf(index + 1)),
    );
    searchPagesByCategory[category] = profile.searchTerms.map((term) => pageUrl(`${SHOP_ORIGIN}/search?q=${queryValue(term)}`));
    categoryPages[category] = pageUrl(`${SHOP_ORIGIN}/c/${category}`);
  }
  return {
    categories: weighted(PRODUCT_CATEGORIES.map((category) => [category, CATEGORY_PROFILES[category].interest] as const)),
    productsByCategory,
    searchPagesByCategory,
    categoryPages,
  };
}

/** Where a session comes from: its external referrer and campaign tags. */
export interface TrafficSource {
  readonly kind: 'direct' | 'organic' | 'paid' | 'social' | 'email' | 'affiliate';
  readonly referrer: string | null;
  readonly utmSource: string | null;
  readonly utmMedium: string | null;
  readonly utmCampaign: string | null;
}

function source(
  kind: TrafficSource['kind'],
  referrer: string | null,
  utm?: readonly [string, string, string],
): TrafficSource {
  return { kind, referrer, utmSource: utm?.[0] ?? null, utmMedium: utm?.[1] ?? null, utmCampaign: utm?.[2] ?? null };
}

const GOOGLE = 'https://www.google.com/';

/** Sources with their shares of sessions; campaign names are the shop's own. */
export const TRAFFIC_SOURCES = weighted<TrafficSource>([
  [source('direct', null), 0.3],
  [source('organic', GOOGLE), 0.24],
  [source('organic', 'https://www.bing.com/'), 0.03],
  [source('organic', 'https://duckduckgo.com/'), 0.01],
  [source('paid', GOOGLE, ['google', 'cpc', 'brand_search']), 0.06],
  [source('paid', GOOGLE, ['google', 'cpc', 'shopping_ads']), 0.06],
  [source('social', 'https://www.instagram.com/', ['instagram', 'social', 'new_season']), 0.06],
  [source('social', 'https://www.facebook.com/', ['facebook', 'social', 'retargeting']), 0.04],
  [source('social', 'https://www.tiktok.com/', ['tiktok', 'social', 'creator_picks']), 0.03],
  [source('email', null, ['newsletter', 'email', 'weekly_digest']), 0.06],
  [source('email', null, ['newsletter', 'email', 'cart_reminder']), 0.03],
  [source('affiliate', 'https://www.dealfinder.example/', ['dealfinder', 'affiliate', 'partner_deals']), 0.04],
  [source('affiliate', 'https://www.techreviews.example/', ['techreviews', 'affiliate', 'top_lists']), 0.02],
]);

/** The landing page's query string for a campaign, or '' for untagged traffic. */
export function campaignQuery(source: TrafficSource): string {
  if (source.utmSource === null) return '';
  return `utm_source=${source.utmSource}&utm_medium=${source.utmMedium}&utm_campaign=${source.utmCampaign}`;
}
