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
import type { EventType, ProductCategory, UserAction } from '../model/events';
import { SHOP_ORIGIN, campaignQuery, type Catalog, type Product, type TrafficSource } from './catalog';
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
  readonly url: string;
  /** Epoch seconds. */
  readonly at: number;
}

/** The longest gap between two events of one visit: safely under the 30-minute session limit. */
export const MAX_GAP_SECONDS = 25 * 60;
/** A visit ends after this many pages at the latest (bots aside, nobody browses longer). */
const MAX_STEPS = 80;

const CART_URL = `${SHOP_ORIGIN}/cart`;
const CHECKOUT_URL = `${SHOP_ORIGIN}/checkout`;
const CONFIRMATION_URL = `${SHOP_ORIGIN}/checkout/confirmation`;
const HOME_URL = `${SHOP_ORIGIN}/`;

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

  const pickProduct = (): Product => {
    // Most views stay in the category the visitor came for.
    const category = random.chance(0.75) ? interest : catalog.categories.draw(random);
    return catalog.productsByCategory[category].draw(random);
  };
  const push = (type: EventType, action: UserAction, product: Product | null, quantity: number | null, url: string, category = product?.category ?? null): void => {
    steps.push({ type, action, category, product, quantity, url, at });
  };

  while (state !== 'exit' && steps.length < MAX_STEPS) {
    const page: Page = state;
    switch (page) {
      case 'home':
        push('page_view', 'home_page', null, null, HOME_URL);
        break;
      case 'category': {
        const category = random.chance(0.7) ? interest : catalog.categories.draw(random);
        push('page_view', 'category_page', null, null, catalog.categoryUrls[category], category);
        break;
      }
      case 'search':
        push('search', 'search_page', null, null, random.pick(catalog.searchUrlsByCategory[interest]));
        break;
      case 'product':
        viewed = pickProduct();
        push('product_view', 'product_page', viewed, null, viewed.url);
        break;
      case 'add': {
        // Only reachable from a product page, so `viewed` is set; one add per product view.
        const product = viewed as Product;
        viewed = null;
        const quantity = QUANTITY.draw(random);
        const line = cart.find((candidate) => candidate.product === product);
        if (line) line.quantity += quantity;
        else cart.push({ product, quantity });
        push('add_to_cart', 'product_page', product, quantity, product.url);
        break;
      }
      case 'cart':
        push('page_view', 'cart_page', null, null, CART_URL);
        break;
      case 'remove': {
        const [line] = cart.splice(random.below(cart.length), 1);
        push('remove_from_cart', 'cart_page', line.product, line.quantity, CART_URL);
        break;
      }
      case 'checkout':
        checkedOut = true;
        for (const line of cart) push('checkout', 'checkout_page', line.product, line.quantity, CHECKOUT_URL);
        break;
      case 'purchase':
        for (const line of cart) push('purchase', 'confirmation_page', line.product, line.quantity, CONFIRMATION_URL);
        cart.length = 0;
        break;
    }
    state = steps.length === 1 && random.chance(BOUNCE) ? 'exit' : nextState(page, random, cart.length > 0, checkedOut);
    at += Math.min(MAX_GAP_SECONDS, Math.max(1, Math.round(random.logNormal(DWELL_MEDIAN[page], DWELL_SPREAD))));
  }
  tagLanding(steps, visit.source);
  return steps;
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

/** A campaign's tags ride on the landing page's URL, as UTM links do. */
function tagLanding(steps: Step[], source: TrafficSource): void {
  const query = campaignQuery(source);
  if (query === '' || steps.length === 0) return;
  const landing = steps[0];
  steps[0] = { ...landing, url: `${landing.url}${landing.url.includes('?') ? '&' : '?'}${query}` };
}
