/**
 * One visit as a Markov chain over the shop's pages: landing (by traffic source), browsing (home,
 * category, search, product pages), the cart, checkout and purchase, with drop-off at every step.
 *
 * The funnel holds by construction: an add to cart happens only on a product page, checkout only from
 * a cart page with items in it and at most once per visit, a purchase only straight after checkout.
 * So within every session (and therefore for every user and in total) purchases ≤ checkouts ≤ carts ≤
 * product views. Time between two events of a visit stays under 30 minutes, the inactivity limit that
 * would start a new session.
 */
import { PRODUCT_CATEGORIES, type EventType, type ProductCategory, type UserAction } from '../model/events';
import {
  PRODUCT_EVENT_PAGES,
  SHOP_ORIGIN,
  campaignQuery,
  pageUrl,
  type Catalog,
  type PageUrl,
  type Product,
  type ProductEvent,
  type TrafficSource,
} from './catalog';
import { eventPiece } from './event-line';
import { weighted, type Random, type WeightedTable } from './random';

type Page = 'home' | 'category' | 'search' | 'product' | 'add' | 'cart' | 'remove' | 'checkout' | 'purchase';
type State = Page | 'exit';

export interface Step {
  readonly type: EventType;
  readonly action: UserAction;
  readonly category: ProductCategory | null;
  readonly product: Product | null;
  /** Units, on cart, checkout and purchase events (which also carry the product's price); else null. */
  readonly quantity: number | null;
  readonly page: PageUrl;
  /** Epoch seconds. */
  readonly at: number;
  /** Its event piece of the line (event-line.ts): type, page and product fields. */
  readonly json: Buffer;
}

/** The longest gap between two events of one visit: safely under the 30-minute session limit. */
export const MAX_GAP_SECONDS = 25 * 60;
/** A visit ends after this many pages at the latest (bots aside, nobody browses longer). */
const MAX_STEPS = 80;

const CART = pageUrl(`${SHOP_ORIGIN}/cart`);
const CHECKOUT = pageUrl(`${SHOP_ORIGIN}/checkout`);
const CONFIRMATION = pageUrl(`${SHOP_ORIGIN}/checkout/confirmation`);
const HOME = pageUrl(`${SHOP_ORIGIN}/`);
const HOME_VIEW = eventPiece('page_view', 'home_page', null, null, false);
const CART_VIEW = eventPiece('page_view', 'cart_page', null, null, false);
const SEARCH = eventPiece('search', 'search_page', null, null, false);
const CATEGORY_VIEW = Object.fromEntries(
  PRODUCT_CATEGORIES.map((category) => [category, eventPiece('page_view', 'category_page', category, null, false)]),
) as Record<ProductCategory, Buffer>;

const LANDING: Readonly<Record<TrafficSource['kind'], WeightedTable<Page>>> = {
  direct: weighted<Page>([['home', 0.55], ['category', 0.2], ['product', 0.12], ['search', 0.13]]),
  organic: weighted<Page>([['product', 0.5], ['category', 0.2], ['home', 0.2], ['search', 0.1]]),
  paid: weighted<Page>([['product', 0.6], ['category', 0.25], ['home', 0.15]]),
  social: weighted<Page>([['product', 0.6], ['home', 0.25], ['category', 0.15]]),
  email: weighted<Page>([['home', 0.35], ['category', 0.35], ['product', 0.3]]),
  affiliate: weighted<Page>([['product', 0.85], ['home', 0.15]]),
};

/** Where a visitor goes next from each page; separate tables where the cart's state matters. */
const NEXT = {
  home: weighted<State>([['category', 0.34], ['search', 0.22], ['product', 0.26], ['exit', 0.18]]),
  category: weighted<State>([['product', 0.6], ['category', 0.1], ['search', 0.08], ['home', 0.04], ['exit', 0.18]]),
  search: weighted<State>([['product', 0.6], ['search', 0.15], ['category', 0.05], ['exit', 0.2]]),
  product: weighted<State>([['product', 0.38], ['add', 0.09], ['category', 0.12], ['search', 0.08], ['home', 0.04], ['exit', 0.29]]),
  productWithCart: weighted<State>([
    ['product', 0.35], ['add', 0.08], ['cart', 0.12], ['category', 0.09], ['search', 0.07], ['exit', 0.29],
  ]),
  add: weighted<State>([['cart', 0.45], ['product', 0.3], ['exit', 0.25]]),
  cartReady: weighted<State>([['checkout', 0.5], ['remove', 0.12], ['product', 0.15], ['exit', 0.23]]),
  cartEmpty: weighted<State>([['product', 0.4], ['home', 0.1], ['exit', 0.5]]),
  remove: weighted<State>([['cart', 0.35], ['product', 0.3], ['exit', 0.35]]),
  checkout: weighted<State>([['purchase', 0.68], ['exit', 0.32]]),
  purchase: weighted<State>([['home', 0.1], ['exit', 0.9]]),
};

/** Median seconds spent on each page before the next event. */
const DWELL_MEDIAN: Readonly<Record<Page, number>> = {
  home: 18, category: 28, search: 22, product: 45, add: 10, cart: 30, remove: 8, checkout: 95, purchase: 20,
};
const DWELL_SPREAD = 0.8;

/** Visitors who leave after the landing page whatever it shows (on top of the pages' own exits). */
const BOUNCE = 0.15;

const QUANTITY = weighted<number>([[1, 0.82], [2, 0.12], [3, 0.04], [4, 0.01], [5, 0.01]]);

interface CartLine {
  readonly product: Product;
  quantity: number;
}

export interface Visit {
  readonly start: number;
  readonly source: TrafficSource;
}

/** Generates the events of one visit, in time order. */
export function walkJourney(random: Random, catalog: Catalog, visit: Visit): Step[] {
  const steps: Step[] = [];
  const cart: CartLine[] = [];
  const interest = catalog.categories.draw(random);
  let checkedOut = false;
  let viewed: Product | null = null;
  let at = visit.start;
  let state: State = LANDING[visit.source.kind].draw(random);

  while (state !== 'exit' && steps.length < MAX_STEPS) {
    const page: Page = state;
    switch (page) {
      case 'home':
        steps.push(pageStep('page_view', 'home_page', null, HOME, HOME_VIEW, at));
        break;
      case 'category': {
        const category = random.chance(0.7) ? interest : catalog.categories.draw(random);
        steps.push(pageStep('page_view', 'category_page', category, catalog.categoryPages[category], CATEGORY_VIEW[category], at));
        break;
      }
      case 'search':
        steps.push(pageStep('search', 'search_page', null, random.pick(catalog.searchPagesByCategory[interest]), SEARCH, at));
        break;
      case 'product':
        viewed = pickProduct(random, catalog, interest);
        steps.push(productStep('product_view', viewed, null, viewed.page, at));
        break;
      case 'add': {
        // Only reachable from a product page, so `viewed` is set; one add per product view.
        const product = viewed as Product;
        viewed = null;
        const quantity = QUANTITY.draw(random);
        const line = cart.find((candidate) => candidate.product === product);
        if (line) line.quantity += quantity;
        else cart.push({ product, quantity });
        steps.push(productStep('add_to_cart', product, quantity, product.page, at));
        break;
      }
      case 'cart':
        steps.push(pageStep('page_view', 'cart_page', null, CART, CART_VIEW, at));
        break;
      case 'remove': {
        const [line] = cart.splice(random.below(cart.length), 1);
        steps.push(productStep('remove_from_cart', line.product, line.quantity, CART, at));
        break;
      }
      case 'checkout':
        checkedOut = true;
        for (const line of cart) steps.push(productStep('checkout', line.product, line.quantity, CHECKOUT, at));
        break;
      case 'purchase':
        for (const line of cart) steps.push(productStep('purchase', line.product, line.quantity, CONFIRMATION, at));
        cart.length = 0;
        break;
    }
    state = steps.length === 1 && random.chance(BOUNCE) ? 'exit' : nextState(page, random, cart.length > 0, checkedOut);
    at += Math.min(MAX_GAP_SECONDS, Math.max(1, Math.round(random.logNormal(DWELL_MEDIAN[page], DWELL_SPREAD))));
  }
  tagLanding(steps, visit.source);
  return steps;
}

// Module-level helpers rather than closures inside walkJourney: a closure per visit costs an
// allocation (and, under tsx, a name-keeping wrapper) for every session generated.
function pageStep(type: EventType, action: UserAction, category: ProductCategory | null, page: PageUrl, json: Buffer, at: number): Step {
  return { type, action, category, product: null, quantity: null, page, at, json };
}

function productStep(type: ProductEvent, product: Product, quantity: number | null, page: PageUrl, at: number): Step {
  const action = PRODUCT_EVENT_PAGES[type];
  return { type, action, category: product.category, product, quantity, page, at, json: product.eventJson[type] };
}

/** Most product views stay in the category the visitor came for. */
function pickProduct(random: Random, catalog: Catalog, interest: ProductCategory): Product {
  const category = random.chance(0.75) ? interest : catalog.categories.draw(random);
  return catalog.productsByCategory[category].draw(random);
}

function nextState(page: Page, random: Random, cartHasItems: boolean, checkedOut: boolean): State {
  switch (page) {
    case 'product':
      return (cartHasItems ? NEXT.productWithCart : NEXT.product).draw(random);
    case 'cart':
      return (cartHasItems && !checkedOut ? NEXT.cartReady : NEXT.cartEmpty).draw(random);
    case 'remove':
      return NEXT.remove.draw(random);
    default:
      return NEXT[page].draw(random);
  }
}

/** Landing pages with campaign tags, by page and source: a few thousand, made once each. */
const taggedPages = new WeakMap<PageUrl, Map<TrafficSource, PageUrl>>();

/** A campaign's tags ride on the landing page's URL, as UTM links do. */
function tagLanding(steps: Step[], source: TrafficSource): void {
  const query = campaignQuery(source);
  if (query === '' || steps.length === 0) return;
  const landing = steps[0];
  let bySource = taggedPages.get(landing.page);
  if (bySource === undefined) {
    bySource = new Map();
    taggedPages.set(landing.page, bySource);
  }
  let tagged = bySource.get(source);
  if (tagged === undefined) {
    const url = landing.page.url;
    tagged = pageUrl(`${url}${url.includes('?') ? '&' : '?'}${query}`);
    bySource.set(source, tagged);
  }
  steps[0] = { ...landing, page: tagged };
}
