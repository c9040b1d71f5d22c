// https://registry.terraform.io/providers/agynio/agyn/0.1.0/docs
// generated from terraform resource schema

import { Construct } from 'constructs';
import * as cdktf from 'cdktf';

// Configuration

export interface AgynProviderConfig {
  /**
  * Allow a plain `http://` Gateway that is not on loopback, e.g. a local Gateway in a CI service container. The token then crosses the network unencrypted. Default `false`.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/agynio/agyn/0.1.0/docs#allow_insecure_http AgynProvider#allow_insecure_http}
  */
  readonly allowInsecureHttp?: boolean | cdktf.IResolvable;
  /**
  * Alias of `token`, as the platform's Go provider spells it. Set one or the other.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/agynio/agyn/0.1.0/docs#api_token AgynProvider#api_token}
  */
  readonly apiToken?: string;
  /**
  * Alias of `gateway`, as the platform's Go provider spells it. Set one or the other.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/agynio/agyn/0.1.0/docs#api_url AgynProvider#api_url}
  */
  readonly apiUrl?: string;
  /**
  * Path to a PEM file with an extra certificate authority for a Gateway with a private certificate.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/agynio/agyn/0.1.0/docs#ca_file AgynProvider#ca_file}
  */
  readonly caFile?: string;
  /**
  * Base URL of the agyn Gateway, e.g. `https://gateway.agyn.example.com` or `https://agyn.example.com/api` (a path prefix is allowed). Environment: `AGYN_GATEWAY_URL`.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/agynio/agyn/0.1.0/docs#gateway AgynProvider#gateway}
  */
  readonly gateway?: string;
  /**
  * How many times a Gateway request that failed on the way (unavailable, rate-limited, HTTP 502/503/504, a reset or refused connection, a timeout) is retried, with capped, jittered exponential backoff that honours `Retry-After`. Reads, revokes, deletes and updates are retried; a create only when it certainly did nothing (see the Reliability notes). `0` sends every request once. Default `4`; at most `20`. Environment: `AGYN_MAX_RETRIES`.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/agynio/agyn/0.1.0/docs#max_retries AgynProvider#max_retries}
  */
  readonly maxRetries?: number;
  /**
  * agyn CLI profile to read the gateway, CA file and token from (`~/.agyn/config.yaml`, `~/.agyn/credentials`). Environment: `AGYN_PROFILE`; default: the CLI's `currentProfile`. Set here, it wins over the environment.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/agynio/agyn/0.1.0/docs#profile AgynProvider#profile}
  */
  readonly profile?: string;
  /**
  * How long one request to the Gateway may take, as a Go duration (e.g. `"30s"`, `"2m"`), before it is given up and, when that is safe, retried. Default `"30s"`; from 1ms to 1h. Environment: `AGYN_REQUEST_TIMEOUT`.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/agynio/agyn/0.1.0/docs#request_timeout AgynProvider#request_timeout}
  */
  readonly requestTimeout?: string;
  /**
  * agyn API token used to authenticate; surrounding whitespace (a token file's newline, as `file()` keeps it) is ignored. Environment: `AGYN_TOKEN`, then `AGYN_API_TOKEN`.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/agynio/agyn/0.1.0/docs#token AgynProvider#token}
  */
  readonly token?: string;
  /**
  * Alias name
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/agynio/agyn/0.1.0/docs#alias AgynProvider#alias}
  */
  readonly alias?: string;
}

/**
* Represents a {@link https://registry.terraform.io/providers/agynio/agyn/0.1.0/docs agyn}
*/
export class AgynProvider extends cdktf.TerraformProvider {

  // =================
  // STATIC PROPERTIES
  // =================
  public static readonly tfResourceType = "agyn";

  // ==============
  // STATIC Methods
  // ==============
  /**
  * Generates CDKTF code for importing a AgynProvider resource upon running "cdktf plan <stack-name>"
  * @param scope The scope in which to define this construct
  * @param importToId The construct id used in the generated config for the AgynProvider to import
  * @param importFromId The id of the existing AgynProvider that should be imported. Refer to the {@link https://registry.terraform.io/providers/agynio/agyn/0.1.0/docs#import import section} in the documentation of this resource for the id to use
  * @param provider? Optional instance of the provider where the AgynProvider to import is found
  */
  public static generateConfigForImport(scope: Construct, importToId: string, importFromId: string, provider?: cdktf.TerraformProvider) {
        return new cdktf.ImportableResource(scope, importToId, { terraformResourceType: "agyn", importId: importFromId, provider });
      }

  // ===========
  // INITIALIZER
  // ===========

  /**
  * Create a new {@link https://registry.terraform.io/providers/agynio/agyn/0.1.0/docs agyn} Resource
  *
  * @param scope The scope in which to define this construct
  * @param id The scoped construct ID. Must be unique amongst siblings in the same scope
  * @param options AgynProviderConfig = {}
  */
  public constructor(scope: Construct, id: string, config: AgynProviderConfig = {}) {
    super(scope, id, {
      terraformResourceType: 'agyn',
      terraformGeneratorMetadata: {
        providerName: 'agyn',
        providerVersion: '0.1.0',
        providerVersionConstraint: '0.1.0'
      },
      terraformProviderSource: 'agynio/agyn'
    });
    this._allowInsecureHttp = config.allowInsecureHttp;
    this._apiToken = config.apiToken;
    this._apiUrl = config.apiUrl;
    this._caFile = config.caFile;
    this._gateway = config.gateway;
    this._maxRetries = config.maxRetries;
    this._profile = config.profile;
    this._requestTimeout = config.requestTimeout;
    this._token = config.token;
    this._alias = config.alias;
  }

  // ==========
  // ATTRIBUTES
  // ==========

  // allow_insecure_http - computed: false, optional: true, required: false
  private _allowInsecureHttp?: boolean | cdktf.IResolvable; 
  public get allowInsecureHttp() {
    return this._allowInsecureHttp;
  }
  public set allowInsecureHttp(value: boolean | cdktf.IResolvable | undefined) {
    this._allowInsecureHttp = value;
  }
  public resetAllowInsecureHttp() {
    this._allowInsecureHttp = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get allowInsecureHttpInput() {
    return this._allowInsecureHttp;
  }

  // api_token - computed: false, optional: true, required: false
  private _apiToken?: string; 
  public get apiToken() {
    return this._apiToken;
  }
  public set apiToken(value: string | undefined) {
    this._apiToken = value;
  }
  public resetApiToken() {
    this._apiToken = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get apiTokenInput() {
    return this._apiToken;
  }

  // api_url - computed: false, optional: true, required: false
  private _apiUrl?: string; 
  public get apiUrl() {
    return this._apiUrl;
  }
  public set apiUrl(value: string | undefined) {
    this._apiUrl = value;
  }
  public resetApiUrl() {
    this._apiUrl = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get apiUrlInput() {
    return this._apiUrl;
  }

  // ca_file - computed: false, optional: true, required: false
  private _caFile?: string; 
  public get caFile() {
    return this._caFile;
  }
  public set caFile(value: string | undefined) {
    this._caFile = value;
  }
  public resetCaFile() {
    this._caFile = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get caFileInput() {
    return this._caFile;
  }

  // gateway - computed: false, optional: true, required: false
  private _gateway?: string; 
  public get gateway() {
    return this._gateway;
  }
  public set gateway(value: string | undefined) {
    this._gateway = value;
  }
  public resetGateway() {
    this._gateway = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get gatewayInput() {
    return this._gateway;
  }

  // max_retries - computed: false, optional: true, required: false
  private _maxRetries?: number; 
  public get maxRetries() {
    return this._maxRetries;
  }
  public set maxRetries(value: number | undefined) {
    this._maxRetries = value;
  }
  public resetMaxRetries() {
    this._maxRetries = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get maxRetriesInput() {
    return this._maxRetries;
  }

  // profile - computed: false, optional: true, required: false
  private _profile?: string; 
  public get profile() {
    return this._profile;
  }
  public set profile(value: string | undefined) {
    this._profile = value;
  }
  public resetProfile() {
    this._profile = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get profileInput() {
    return this._profile;
  }

  // request_timeout - computed: false, optional: true, required: false
  private _requestTimeout?: string; 
  public get requestTimeout() {
    return this._requestTimeout;
  }
  public set requestTimeout(value: string | undefined) {
    this._requestTimeout = value;
  }
  public resetRequestTimeout() {
    this._requestTimeout = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get requestTimeoutInput() {
    return this._requestTimeout;
  }

  // token - computed: false, optional: true, required: false
  private _token?: string; 
  public get token() {
    return this._token;
  }
  public set token(value: string | undefined) {
    this._token = value;
  }
  public resetToken() {
    this._token = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get tokenInput() {
    return this._token;
  }

  // alias - computed: false, optional: true, required: false
  private _alias?: string; 
  public get alias() {
    return this._alias;
  }
  public set alias(value: string | undefined) {
    this._alias = value;
  }
  public resetAlias() {
    this._alias = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get aliasInput() {
    return this._alias;
  }

  // =========
  // SYNTHESIS
  // =========

  protected synthesizeAttributes(): { [name: string]: any } {
    return {
      allow_insecure_http: cdktf.booleanToTerraform(this._allowInsecureHttp),
      api_token: cdktf.stringToTerraform(this._apiToken),
      api_url: cdktf.stringToTerraform(this._apiUrl),
      ca_file: cdktf.stringToTerraform(this._caFile),
      gateway: cdktf.stringToTerraform(this._gateway),
      max_retries: cdktf.numberToTerraform(this._maxRetries),
      profile: cdktf.stringToTerraform(this._profile),
      request_timeout: cdktf.stringToTerraform(this._requestTimeout),
      token: cdktf.stringToTerraform(this._token),
      alias: cdktf.stringToTerraform(this._alias),
    };
  }

  protected synthesizeHclAttributes(): { [name: string]: any } {
    const attrs = {
      allow_insecure_http: {
        value: cdktf.booleanToHclTerraform(this._allowInsecureHttp),
        isBlock: false,
        type: "simple",
        storageClassType: "boolean",
      },
      api_token: {
        value: cdktf.stringToHclTerraform(this._apiToken),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      api_url: {
        value: cdktf.stringToHclTerraform(this._apiUrl),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      ca_file: {
        value: cdktf.stringToHclTerraform(this._caFile),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      gateway: {
        value: cdktf.stringToHclTerraform(this._gateway),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      max_retries: {
        value: cdktf.numberToHclTerraform(this._maxRetries),
        isBlock: false,
        type: "simple",
        storageClassType: "number",
      },
      profile: {
        value: cdktf.stringToHclTerraform(this._profile),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      request_timeout: {
        value: cdktf.stringToHclTerraform(this._requestTimeout),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      token: {
        value: cdktf.stringToHclTerraform(this._token),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      alias: {
        value: cdktf.stringToHclTerraform(this._alias),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
    };

    // remove undefined attributes
    return Object.fromEntries(Object.entries(attrs).filter(([_, value]) => value !== undefined && value.value !== undefined ))
  }
}
